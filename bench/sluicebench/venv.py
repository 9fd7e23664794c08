"""bench/.venv: dlt and friends from bench/requirements.txt, installed on first use (again when they change)."""
import os
import shutil
import subprocess
import sys

from .layout import REQUIREMENTS, ROOT, VENV, VENV_PYTHON


def ensure_venv(script, argv):
    """Creates the venv when needed and re-runs `script` with `argv` in it (returns only when already inside)."""
    with open(REQUIREMENTS) as handle:
        wanted = handle.read()
    marker = os.path.join(VENV, ".installed-requirements")
    installed = open(marker).read() if os.path.exists(marker) else None
    if installed != wanted:
        if not os.path.exists(VENV_PYTHON):
            print(f"bench: creating {os.path.relpath(VENV, ROOT)}", flush=True)
            if subprocess.call([sys.executable, "-m", "venv", VENV]) != 0:
                # Debian's own python3 ships venv and ensurepip in a package of their own
                if os.geteuid() != 0 or not shutil.which("apt-get"):
                    raise SystemExit("bench: python3 cannot create a venv (install python3-venv)")
                shutil.rmtree(VENV, ignore_errors=True)
                subprocess.check_call(["apt-get", "install", "-y", "-q", "python3-venv"],
                                      env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
                subprocess.check_call([sys.executable, "-m", "venv", VENV])
        print("bench: installing bench/requirements.txt into the venv", flush=True)
        subprocess.check_call([VENV_PYTHON, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r",
                               REQUIREMENTS])
        with open(marker, "w") as handle:
            handle.write(wanted)
    if os.path.realpath(sys.prefix) != os.path.realpath(VENV):
        os.execv(VENV_PYTHON, [VENV_PYTHON, os.path.abspath(script)] + list(argv))
