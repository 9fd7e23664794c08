"""The two tools' command lines: Sluice (its pipeline files, `sluice validate`, `sluice run`) and dlt
(bench/dlt_pipelines.py under the venv)."""
import json
import os
import re
import shutil

from .layout import BENCH, DATASET, OUT, SLUICE, VENV_PYTHON, java_home
from .postgres import Postgres
from .process import Failed, Pending, measure, run_quietly

PIPELINES = os.path.join(OUT, "pipelines")
STAGE = re.compile(r"^(?:\[[ \d.]+\] )?\s+stage (\S+)\s+([\d.]+)s$", re.M)
WORK = re.compile(r"^(?:\[[ \d.]+\] )?work ([\d.]+)s$", re.M)  # engine.py's timed work
MEMORY = re.compile(r"^(?:\[[ \d.]+\] )?memory (\d+)$", re.M)  # and the memory it took
# The memory limits engine.py's work is tried under, least first, for the least memory it takes (least_memory).
MEMORY_LIMITS = ("12MB", "16MB", "24MB", "32MB", "48MB", "64MB", "96MB", "128MB", "256MB", "512MB")
ENGINE = os.path.join(BENCH, "sluicebench", "engine.py")


def sluice_env(data_dir, extra_options="", app=None):
    """bin/sluice's environment; `app` runs another build (bin/sluice reads SLUICE_APP)."""
    return dict(os.environ, JAVA_HOME=java_home(), **({"SLUICE_APP": app} if app else {}),
                SLUICE_JAVA_OPTS=f"-Dsluice.data-dir={data_dir} {extra_options}".strip(),
                SLUICE_SECRET_BENCH_POSTGRES=Postgres.PASSWORD)


def with_stages(measurement):
    """The measurement with the stage times Sluice (or engine.py) printed into its log, and engine.py's work."""
    with open(measurement.log) as handle:
        text = handle.read()
    measurement.stages = {match.group(1): float(match.group(2)) for match in STAGE.finditer(text)}
    work, memory = WORK.search(text), MEMORY.search(text)
    measurement.work = float(work.group(1)) if work else None
    measurement.memory = int(memory.group(1)) if memory else None
    return measurement


def engine_run(task, log, work):
    """engine.py doing a task (its "work" and arguments) in the work folder: the engine's own work, timed inside."""
    return with_stages(measure([VENV_PYTHON, ENGINE, json.dumps(task)], log, cwd=work))


def least_memory(task, log, work):
    """{"limit", "bytes"}: the least memory limit of MEMORY_LIMITS under which engine.py does the task, and the memory
    its work took there; None when it failed under every one. log(limit) is the log of the try under that limit."""
    for limit in MEMORY_LIMITS:
        for path in filter(None, (task.get("database"), task.get("staged"))):  # each try from an empty destination
            for leftover in (path, f"{path}.wal"):
                if os.path.exists(leftover):
                    os.remove(leftover)
            shutil.rmtree(f"{path}.tmp", ignore_errors=True)
        try:
            measurement = engine_run({**task, "memory_limit": limit}, log(limit), work)
        except Failed:
            continue
        return {"limit": limit, "bytes": measurement.memory}
    return None


def write_pipeline(name, source, destination):
    """Sluice's pipeline file, in the spec's own fields: what today's build refuses is pending, never a number."""
    spec = {"name": name, "source": source, "destination": {**destination, "dataset": DATASET}}
    path = os.path.join(PIPELINES, f"{name}.yaml")
    os.makedirs(PIPELINES, exist_ok=True)
    with open(path, "w") as handle:
        json.dump(spec, handle, indent=2)  # JSON is YAML: the spec reader takes either
    return path


class Sluice:
    def __init__(self, work, notes):
        self.work, self.notes = work, notes
        self.validated = {}  # pipeline file → the validator's problems ([] when valid)

    def _validate(self, path):
        result = run_quietly([SLUICE, "validate", "-f", path], env=sluice_env(os.path.join(self.work, "validate")))
        shutil.rmtree(os.path.join(self.work, "validate"), ignore_errors=True)
        return result

    def validate_all(self):
        """One `sluice validate` of every pipeline file (one JVM start instead of one per scenario)."""
        current = None
        for line in self._validate(PIPELINES).stdout.splitlines():
            if line.startswith("ok "):
                self.validated[os.path.abspath(line.split()[1])] = []
            elif line.startswith("invalid "):
                current = os.path.abspath(line[len("invalid "):].rstrip(":"))
                self.validated[current] = []
            elif line.startswith("  ") and current:
                self.validated[current].append(line.strip())

    def validate(self, scenario, pipeline):
        """Raises Pending, naming what is not available yet, when today's build refuses the pipeline."""
        problems = self.validated.get(os.path.abspath(pipeline))
        if problems is None or any("not available" not in problem for problem in problems):
            result = self._validate(pipeline)
            problems = [] if result.returncode == 0 else [
                line.strip() for line in result.stdout.splitlines() if ": " in line and not line.startswith("invalid")] \
                or [result.stdout.strip()[:300]]
        if not problems:
            return
        missing = []
        for word, pattern in (("source", r"sources? (are|is) not available"), ("merge", r"MERGE is not available"),
                              ("destination", r"destinations? (are|is) not available")):
            if any(re.search(pattern, problem) for problem in problems):
                missing.append(word)
        self.notes.append(f"{scenario.upper()} Sluice: `sluice validate` refuses the pipeline today: "
                          + "; ".join(problems))
        raise Pending(" and ".join(missing or ["pipeline"]) + " not yet available")

    @staticmethod
    def run(pipeline, data_dir, log, extra_options="", app=None):
        return with_stages(measure([SLUICE, "run", "-f", pipeline], log, env=sluice_env(data_dir, extra_options, app)))


def dlt_env(work):
    return dict(os.environ,
                RUNTIME__DLTHUB_TELEMETRY="false",
                RUNTIME__LOG_LEVEL="WARNING",
                DLT_DATA_DIR=os.path.join(work, "dlt-home"),
                NORMALIZE__WORKERS=str(os.cpu_count() or 1),
                EXTRACT__DATA_WRITER__FILE_MAX_ITEMS="100000")


def dlt_run(name, work, log, *options):
    """bench/dlt_pipelines.py NAME in the work folder (its pipelines and state go there, never $HOME)."""
    return measure([VENV_PYTHON, os.path.join(BENCH, "dlt_pipelines.py"), name, "--work", work, *options], log,
                   dlt_env(work), work)
