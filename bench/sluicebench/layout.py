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


def aot_cache():
    """The AOT cache bin/sluice uses, when it was trained on the current build (make aot)."""
    cache = os.path.join(APP, "app.aot")
    jar = os.path.join(APP, "quarkus-run.jar")
    return cache if os.path.exists(cache) and os.path.getmtime(cache) > os.path.getmtime(jar) else None
