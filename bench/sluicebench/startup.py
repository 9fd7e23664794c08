"""Start-up: `sluice serve` to the first answered gRPC health call and a one-shot `sluice run` of bench/tiny.yaml,
each with and without the AOT cache, beside `import dlt` and dlt running the same tiny pipeline; and Sluice's fixed
cost, the floor under every target (floors.py)."""
import os
import signal
import subprocess
import time

from . import results
from .destinations import duckdb_counts
from .layout import BENCH, OUT, ROOT, SLUICE, VENV_PYTHON, aot_cache
from .process import CHILDREN, Failed, Measurement, Sampler, fresh_dir, free_port, measure, run_quietly
from .runner import alternate
from .tools import dlt_env, dlt_run, sluice_env, with_stages

TINY = os.path.join(BENCH, "tiny.yaml")
SAMPLES = os.path.join(ROOT, "deploy", "samples")
DLT_TINY = "dlt: the same tiny pipeline (5,000 CSV rows → DuckDB)"
DLT_IMPORT = "dlt: `python -c \"import dlt\"`"
# The least Sluice starts: the JVM, Quarkus and the catalog started and stopped, no work.
FIXED_COST_COMMAND = "--version"
# serve's idle RSS is read this long after its first answered call, when its start's work (the catalog opened, the
# JIT's compiling of start-up code) is over and nothing else comes.
IDLE_SECONDS = 10


def sluice(aot, data_dir, *command, extra=()):
    """bin/sluice's command and environment, with or without its AOT cache: the JVM starts as users start it, with
    the launcher's own options (a copy of them here once lacked its young generation's size)."""
    env = dict(sluice_env(data_dir, " ".join(extra)), SLUICE_AOT="on" if aot else "off")
    return [SLUICE, *command], env


def train_aot_cache(app):
    """Trains the AOT cache of the build in `app` in its own folder, as `make aot` trains this build's: a baseline
    copied from another folder has none that bin/sluice may use (a cache runs the classes of the folder it was trained
    in), and would start slower than this build for that alone."""
    data_dir = fresh_dir(os.path.join(OUT, "aot-training"))
    env = dict(sluice_env(data_dir, app=app), SLUICE_AOT="train")
    print(f"bench: training the AOT cache of {app}", flush=True)
    trained = run_quietly([SLUICE, "run", "-f", TINY], env=env, cwd=ROOT)
    if trained.returncode != 0 or not aot_cache(app):
        raise SystemExit(f"bench: cannot train the AOT cache of {app}:\n{trained.stdout[-2000:]}")


def serve_first_call(bench, aot, index, label):
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc
    data_dir = fresh_dir(os.path.join(bench.work, "sluice-serve"))
    grpc_port, http_port = free_port(), free_port()
    command, env = sluice(aot, data_dir, "serve", extra=(f"-Dquarkus.grpc.server.port={grpc_port}",
                                                         f"-Dquarkus.http.port={http_port}", "-Dsluice.serve.pipelines="))
    log_path = bench.log("startup", f"serve-{label}", index)
    with open(log_path, "w") as log:
        start = time.perf_counter()
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        CHILDREN.add(server.pid)
        sampler = Sampler(server.pid)
        sampler.start()
        try:
            while True:
                if server.poll() is not None:
                    raise Failed(f"serve exited with {server.returncode}, see {os.path.relpath(log_path, ROOT)}")
                if time.perf_counter() - start > 120:
                    raise Failed("serve answered no health check within 120 s")
                with grpc.insecure_channel(f"127.0.0.1:{grpc_port}") as channel:
                    try:
                        answer = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=1)
                        if answer.status == health_pb2.HealthCheckResponse.SERVING:
                            seconds = time.perf_counter() - start
                            break
                    except grpc.RpcError:
                        pass
                time.sleep(0.005)
            peak = sampler.stop()
            idle = sample_idle_rss(server)
        finally:
            sampler.stop()
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
            CHILDREN.discard(server.pid)
    return Measurement(seconds, peak, log_path, idle_rss=idle)


def sample_idle_rss(server):
    """The most RSS of serve's process tree over the last second of IDLE_SECONDS without a call."""
    time.sleep(IDLE_SECONDS - 1)
    sampler = Sampler(server.pid)
    sampler.start()
    time.sleep(1)
    idle = sampler.stop()
    if server.poll() is not None:
        raise Failed(f"serve exited with {server.returncode} while idle")
    return idle


def one_shot(bench, aot, index, label):
    data_dir = fresh_dir(os.path.join(bench.work, "sluice-tiny"))
    command, env = sluice(aot, data_dir, "run", "-f", TINY)
    result = with_stages(measure(command, bench.log("startup", f"tiny-{label}", index), env=env))
    result.counts = duckdb_counts(os.path.join(data_dir, "tiny.duckdb"))
    return result


def import_dlt(bench, index):
    work = fresh_dir(os.path.join(bench.work, "dlt-import"))
    return measure([VENV_PYTHON, "-c", "import dlt"], bench.log("startup", "dlt-import", index), dlt_env(work), work)


def dlt_tiny(bench, index):
    work = fresh_dir(os.path.join(bench.work, "dlt-tiny"))
    result = dlt_run("tiny", work, bench.log("startup", "dlt-tiny", index), "--data", SAMPLES, "--glob", "customers.csv")
    result.counts = duckdb_counts(os.path.join(work, "tiny.duckdb"))
    return result


def startup(bench, tries):
    """The start-up entry of the results ({"name", "tries"}) and a record per try of each measure."""
    variants = [("plain JVM", False)] + ([("AOT cache", True)] if aot_cache() else [])
    actions = {}
    for label, aot in variants:
        actions[f"Sluice: `sluice serve` → first gRPC health call ({label})"] = \
            lambda index, aot=aot, label=label: serve_first_call(bench, aot, index, label.split()[0].lower())
    for label, aot in variants:
        actions[f"Sluice: one-shot `sluice run` of bench/tiny.yaml ({label})"] = \
            lambda index, aot=aot, label=label: one_shot(bench, aot, index, label.split()[0].lower())
    actions[DLT_IMPORT] = lambda index: import_dlt(bench, index)
    actions[DLT_TINY] = lambda index: dlt_tiny(bench, index)
    records = []
    for label, runs in alternate(actions, tries, lambda label: f"startup {label}").items():
        if isinstance(runs, Exception):
            records.append(results.problem_record(results.STARTUP, label, runs))
        else:
            records += [results.run_record(results.STARTUP, label, index, 0, run) for index, run in enumerate(runs)]
    return {"name": results.STARTUP, "tries": tries}, records


class FixedCost:
    """Sluice's fixed cost: `bin/sluice --version` (the timed runs' JVM flags and AOT cache), `tries` times spread
    evenly over the run, a try before some of the scenarios, so that its median sees the machine as they saw it."""

    def __init__(self, bench, tries, scenarios):
        self.bench, self.tries = bench, tries
        self.schedule = [index * scenarios // tries for index in range(tries)]  # the scenario each try comes before
        self.runs = []  # or the Failed that stopped them

    def before(self, position):
        """The tries due before the scenario at `position` in the run."""
        for _ in range(self.schedule.count(position)):
            if isinstance(self.runs, Exception):
                return
            index = len(self.runs)
            print(f"bench: fixed cost: `sluice {FIXED_COST_COMMAND}` {index + 1}/{self.tries}", flush=True)
            data_dir = fresh_dir(os.path.join(self.bench.work, "sluice-fixed-cost"))
            try:
                self.runs.append(measure([SLUICE, FIXED_COST_COMMAND], self.bench.log(results.FIXED_COST, "sluice", index),
                                         env=sluice_env(data_dir)))
            except Failed as failed:
                self.runs = failed

    def results(self):
        """Its entry in the results ({"name", "tries", "command"}) and a record per try."""
        if isinstance(self.runs, Exception):
            records = [results.problem_record(results.FIXED_COST, "sluice", self.runs)]
        else:
            records = [results.run_record(results.FIXED_COST, "sluice", index, 0, run)
                       for index, run in enumerate(self.runs)]
        return {"name": results.FIXED_COST, "tries": self.tries, "command": f"bin/sluice {FIXED_COST_COMMAND}"}, records
