"""Which AOT cache the harness counts as bin/sluice's: trained on the build, in the build's own folder."""
import os
import tempfile
import time
import unittest

from sluicebench.layout import aot_cache


def build(folder, trained_in=None, trained_after=True):
    """A build's folder with its jar and, when trained_in is given, a cache trained in that folder."""
    jar = os.path.join(folder, "quarkus-run.jar")
    open(jar, "w").close()
    if trained_in is not None:
        cache = os.path.join(folder, "app.aot")
        open(cache, "w").close()
        stamp = time.time()
        os.utime(jar, (stamp, stamp))
        os.utime(cache, (stamp + (1 if trained_after else -1),) * 2)
        with open(os.path.join(folder, "app.aot.home"), "w") as home:
            home.write(os.path.realpath(trained_in) + "\n")
    return folder


class AotCacheTest(unittest.TestCase):
    def test_a_cache_trained_on_the_build_in_its_folder_is_used(self):
        with tempfile.TemporaryDirectory() as folder:
            self.assertEqual(os.path.join(folder, "app.aot"), aot_cache(build(folder, trained_in=folder)))

    def test_a_cache_trained_in_another_folder_or_on_an_older_build_or_none_is_not(self):
        with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as elsewhere:
            self.assertIsNone(aot_cache(build(folder, trained_in=elsewhere)), "copied from where it was trained")
        with tempfile.TemporaryDirectory() as folder:
            self.assertIsNone(aot_cache(build(folder, trained_in=folder, trained_after=False)), "older than the build")
        with tempfile.TemporaryDirectory() as folder:
            self.assertIsNone(aot_cache(build(folder)), "never trained")


if __name__ == "__main__":
    unittest.main()
