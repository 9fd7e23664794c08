"""Where the harness, Sluice's build, the JDK and the output are."""
import os

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)
OUT = os.path.join(BENCH, "out")
VENV = os.path.join(BENCH, ".venv")
VENV_PYTHON = os.path.join(VENV, "bin", "python")
REQUIREMENTS = os.path.join(BENCH, "requirements.txt")
APP = os.path.join(ROOT, "target", "quarkus-app")
SLUICE = os.path.join(ROOT, "bin", "sluice")
DATASET = "bench"


def java_home():
    candidates = [os.environ.get("JAVA_HOME", "")] + sorted(
        os.path.join("/usr/lib/jvm", name) for name in os.listdir("/usr/lib/jvm")
        if name.startswith(("temurin-25-jdk", "jdk-25"))) if os.path.isdir("/usr/lib/jvm") else []
    for candidate in candidates:
        if candidate and os.path.exists(os.path.join(candidate, "bin", "java")):
            return candidate
    raise SystemExit("bench: no JDK 25 found (set JAVA_HOME)")


def aot_cache(app=APP):
    """The AOT cache bin/sluice uses for the build in `app`, by bin/sluice's rule: trained on that build (make aot), in
    that folder (app.aot.home names it); None when there is none."""
    cache, jar, home = (os.path.join(app, name) for name in ("app.aot", "quarkus-run.jar", "app.aot.home"))
    if not os.path.exists(cache) or os.path.getmtime(cache) <= os.path.getmtime(jar) or not os.path.exists(home):
        return None
    with open(home) as handle:
        return cache if handle.read().strip() == os.path.realpath(app) else None
