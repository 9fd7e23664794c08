"""The orchestration figures (issue: trigger → RUNNING latency and per-run overhead, many concurrent runs, many
schedules), measured against a live `sluice serve` through the Python client. Run with `make bench-orchestration`,
which builds Sluice, installs the client into clients/python/.venv and runs this with it.

    python bench/orchestration.py [--latency-runs 50] [--runs 1000] [--pipelines 100] [--schedules 10000]
                                  [--window-schedules 1000] [--register-threads 8] [--max-active 8]
                                  [--output bench/RESULTS-orchestration.md]

Times come from the service's own clock where they can (a run's create, start and end times), so the client's
Python overhead is not counted against the server; the client-side figures are given beside them.
"""
import argparse
import concurrent.futures
import datetime
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import sluice
from sluice.v1 import run_service_pb2, run_state_pb2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TERMINAL = {run_state_pb2.COMPLETED, run_state_pb2.FAILED, run_state_pb2.CANCELLED, run_state_pb2.CRASHED,
            run_state_pb2.SKIPPED}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`bin/sluice serve` on free ports in a data directory of its own, with its peak RSS sampled until it stops."""

    def __init__(self, work, max_active):
        self.grpc_port, self.http_port = free_port(), free_port()
        self.log_path = os.path.join(work, "serve.log")
        options = (f"-Dquarkus.grpc.server.host=127.0.0.1 -Dquarkus.grpc.server.port={self.grpc_port}"
                   f" -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port={self.http_port}"
                   f" -Dsluice.data-dir={os.path.join(work, 'data')} -Dsluice.serve.pipelines= -Dsluice.auth.enabled=false"
                   f" -Dsluice.runs.max-active={max_active} -Dquarkus.log.level=WARN"
                   # e.g. a JFR recording of the service: SLUICE_BENCH_JAVA_OPTS=-XX:StartFlightRecording=filename=x.jfr
                   f" {os.environ.get('SLUICE_BENCH_JAVA_OPTS', '')}")
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen([os.path.join(ROOT, "bin", "sluice"), "serve"], cwd=ROOT, stdout=log,
                                            stderr=subprocess.STDOUT, env={**os.environ, "SLUICE_JAVA_OPTS": options},
                                            start_new_session=True)
        self.target = f"127.0.0.1:{self.grpc_port}"
        self._wait_ready(time.monotonic() + 120)

    def _wait_ready(self, deadline):
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"sluice serve exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/q/health/ready", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("sluice serve was not ready within 120 s")
            time.sleep(0.1)

    def peak_rss_mib(self):
        """The JVM's peak resident memory so far (bin/sluice execs it, so it is the process started)."""
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def metrics(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/q/metrics", timeout=10) as answer:
            return answer.read().decode()

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def pipeline(name, data, warehouse, extra=""):
    """A trivial pipeline: one JSON line into a DuckDB file of its own."""
    return sluice.parse_pipeline(f"""
name: {name}
source:
  filesystem:
    base_path: {data}
    resources:
      - name: pings
        glob: "*.jsonl"
destination:
  duckdb:
    path: {warehouse}
{extra}""")


def seconds(timestamp):
    return timestamp.seconds + timestamp.nanos / 1e9


def millis(values):
    ordered = sorted(values)
    return {"median": 1000 * statistics.median(ordered), "p95": 1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
            "max": 1000 * ordered[-1]}


def wait_all(client, run_ids, deadline_seconds):
    """Polls until every run has ended; returns the runs as they ended."""
    deadline = time.monotonic() + deadline_seconds
    ended = {}
    while len(ended) < len(run_ids):
        for run_id in [run_id for run_id in run_ids if run_id not in ended]:
            run = client.run(run_id)
            if run.state in TERMINAL:
                ended[run_id] = run
        if time.monotonic() > deadline:
            raise SystemExit(f"{len(run_ids) - len(ended)} runs had not ended within {deadline_seconds} s")
        time.sleep(0.2)
    return [ended[run_id] for run_id in run_ids]


def latency(client, work, count):
    """Triggers a trivial pipeline `count` times one after another; each run's dispatch and whole life."""
    client.register(pipeline("trivial", work["data"], os.path.join(work["root"], "trivial.duckdb")))
    client.wait(client.trigger("trivial").id, timeout=120)  # the first run warms the JIT and makes the tables
    dispatch, lifetime, client_running, client_ended = [], [], [], []
    for _ in range(count):
        started = time.perf_counter()
        run = client.trigger("trivial")
        saw_running = None
        for event in client.follow(run.id, timeout=120):
            if saw_running is None and event.WhichOneof("kind") == "state_change" and \
                    event.state_change.to == run_state_pb2.RUNNING:
                saw_running = time.perf_counter()
        ended = time.perf_counter()
        run = client.run(run.id)
        if run.state != run_state_pb2.COMPLETED:
            raise SystemExit(f"run {run.id} ended {run_state_pb2.RunState.Name(run.state)}: {run.error}")
        dispatch.append(seconds(run.start_time) - seconds(run.create_time))
        lifetime.append(seconds(run.end_time) - seconds(run.create_time))
        client_running.append((saw_running or ended) - started)
        client_ended.append(ended - started)
    return {"runs": count, "dispatch_ms": millis(dispatch), "lifetime_ms": millis(lifetime),
            "client_trigger_to_running_ms": millis(client_running), "client_trigger_to_end_ms": millis(client_ended)}


def concurrent_runs(client, server, work, runs, pipelines):
    """`runs` runs of `pipelines` trivial pipelines, all triggered at once; every one must complete and every slot
    come back."""
    names = [f"many-{index:04d}" for index in range(pipelines)]
    for name in names:
        client.register(pipeline(name, work["data"], os.path.join(work["root"], f"{name}.duckdb")))
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(16) as triggers:
        triggered = list(triggers.map(lambda index: client.trigger(names[index % pipelines]).id, range(runs)))
    triggered_in = time.perf_counter() - started
    ended = wait_all(client, triggered, 1800)
    elapsed = time.perf_counter() - started
    states = {}
    for run in ended:
        name = run_state_pb2.RunState.Name(run.state)
        states[name] = states.get(name, 0) + 1
    gauges = {line.split()[0]: float(line.split()[1]) for line in server.metrics().splitlines()
              if line.startswith(("sluice_runs_active", "sluice_runs_queued"))}
    return {"runs": runs, "pipelines": pipelines, "states": states, "triggered_s": triggered_in, "all_ended_s": elapsed,
            "runs_per_s": runs / elapsed, "gauges_after": gauges, "peak_rss_mib": server.peak_rss_mib()}


def due_time(client, run):
    """When the scheduler turned the slot's run from SCHEDULED (its forecast, stored ahead) to PENDING: the run's
    history, replayed to a watcher of a run that has ended. A run never SCHEDULED (its slot came before the scheduler
    first looked at its pipeline, so there was no forecast to claim) was created PENDING: its creation is when it was
    due."""
    for event in client.follow(run.id, timeout=60):
        if event.WhichOneof("kind") == "state_change" and event.state_change.to == run_state_pb2.PENDING:
            return seconds(event.time)
    return seconds(run.create_time)


def schedules(client, work, count, in_window, threads):
    """`count` pipelines with an interval schedule each, registered from `threads` client threads; the slots of
    `in_window` of them fall in the minute after registration, the others hours later (the scheduler looks at them once
    when registered, then not until they are due). Each slot's run: how long after its slot the scheduler created it,
    and how long until it was RUNNING."""
    later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=6)
    register_started = time.perf_counter()

    def register_later(index):
        anchor = (later + datetime.timedelta(seconds=index % 3600)).strftime("%Y-%m-%dT%H:%M:%SZ")
        client.register(pipeline(f"later-{index:05d}", work["data"], os.path.join(work["root"], "later.duckdb"),
                                 f'schedules: [ {{ interval: 24h, anchor: "{anchor}" }} ]'))

    with concurrent.futures.ThreadPoolExecutor(threads) as registrations:
        list(registrations.map(register_later, range(count - in_window)))
    per_pipeline = (time.perf_counter() - register_started) / max(1, count - in_window)
    # The window opens once the rest are registered (at the rate just measured), with a margin for the first tick.
    window = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=in_window * per_pipeline * 1.5 + 20)
    window = window.replace(microsecond=0)
    slots = {f"window-{index:05d}": window + datetime.timedelta(seconds=index * 60 / in_window) for index in range(in_window)}

    def register_window(name):
        client.register(pipeline(name, work["data"], os.path.join(work["root"], f"{name}.duckdb"),
                                 f'schedules: [ {{ interval: 24h, anchor: "{slots[name].strftime("%Y-%m-%dT%H:%M:%S.%fZ")}" }} ]'))

    with concurrent.futures.ThreadPoolExecutor(threads) as registrations:
        list(registrations.map(register_window, slots))
    registered_s = time.perf_counter() - register_started
    if datetime.datetime.now(datetime.timezone.utc) > window:
        raise SystemExit("registration outran the window; raise the margin")
    time.sleep(max(0.0, (window - datetime.datetime.now(datetime.timezone.utc)).total_seconds() + 60))
    due_lag, running_lag, ended_at = [], [], []
    deadline = time.monotonic() + 1800
    for name, slot in slots.items():
        while True:
            listed = client.runs.ListRuns(run_service_pb2.ListRunsRequest(pipeline=name), timeout=30).runs
            started = [run for run in listed if run.state != run_state_pb2.SCHEDULED]
            if started and started[0].state in TERMINAL:
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"the slot of {name} at {slot} started no run")
            time.sleep(0.5)
        run = started[0]
        due_lag.append(due_time(client, run) - slot.timestamp())
        running_lag.append(seconds(run.start_time) - slot.timestamp())
        ended_at.append(seconds(run.end_time))
    within = sum(1 for lag in due_lag if lag <= 1.0)
    running_within = sum(1 for lag in running_lag if lag <= 1.0)
    # What limits RUNNING within 1 s: how fast the service got through the window's runs, against the rate the slots asked.
    completed_in = max(ended_at) - min(slots.values()).timestamp()
    return {"schedules": count, "in_window": in_window, "threads": threads, "registered_s": registered_s,
            "due_after_slot_ms": millis(due_lag), "running_after_slot_ms": millis(running_lag), "due_within_1s": within,
            "running_within_1s": running_within, "window_completed_s": completed_in,
            "window_runs_per_s": in_window / completed_in, "window_asked_per_s": in_window / 60}


def markdown(figures, arguments):
    lines = [f"# Orchestration figures ({figures['when']})", "",
             f"Command: `make bench-orchestration` (`python bench/orchestration.py {' '.join(arguments)}`), "
             f"`sluice serve` with `sluice.runs.max-active={figures['max_active']}`, on {os.cpu_count()} cores.", ""]
    latency_figures = figures["latency"]
    lines += ["## Trigger → RUNNING and per-run overhead", "",
              f"{latency_figures['runs']} runs of a one-line JSONL → DuckDB pipeline, one after another, after one warm-up run.", "",
              "| measure | median | p95 | max |", "| --- | --- | --- | --- |"]
    for key, label in [("dispatch_ms", "server: created → RUNNING (dispatch)"), ("lifetime_ms", "server: created → ended (whole run)"),
                       ("client_trigger_to_running_ms", "client: TriggerRun call → RUNNING event seen"),
                       ("client_trigger_to_end_ms", "client: TriggerRun call → run ended")]:
        value = latency_figures[key]
        lines.append(f"| {label} | {value['median']:.1f} ms | {value['p95']:.1f} ms | {value['max']:.1f} ms |")
    many = figures["concurrent"]
    lines += ["", "## Many runs at once", "",
              f"{many['runs']} runs of {many['pipelines']} pipelines triggered at once from 16 client threads.", "",
              f"- end states: {many['states']}",
              f"- all triggered in {many['triggered_s']:.1f} s, all ended after {many['all_ended_s']:.1f} s ({many['runs_per_s']:.0f} runs/s)",
              f"- gauges after: {many['gauges_after']} (a stuck slot would leave one above zero)",
              f"- peak RSS of `sluice serve` over the whole benchmark so far: {many['peak_rss_mib']:.0f} MiB"]
    scheduled = figures["schedules"]
    lines += ["", "## Many schedules", "",
              f"{scheduled['schedules']} pipelines with a schedule each, registered from {scheduled['threads']} client threads in "
              f"{scheduled['registered_s']:.0f} s; the slots of {scheduled['in_window']} fall in one minute, spread evenly, the rest "
              "hours later.", "",
              "| measure | median | p95 | max |", "| --- | --- | --- | --- |"]
    for key, label in [("due_after_slot_ms", "slot → run due (SCHEDULED → PENDING) by the scheduler"),
                       ("running_after_slot_ms", "slot → run RUNNING")]:
        value = scheduled[key]
        lines.append(f"| {label} | {value['median']:.0f} ms | {value['p95']:.0f} ms | {value['max']:.0f} ms |")
    lines += ["", f"{scheduled['due_within_1s']} of {scheduled['in_window']} runs were due (handed to the executor) within 1 s of their slot, "
              f"{scheduled['running_within_1s']} RUNNING within 1 s of it.",
              f"Throughput: the window's {scheduled['in_window']} runs had all ended {scheduled['window_completed_s']:.1f} s after its "
              f"first slot, {scheduled['window_runs_per_s']:.1f} trivial runs/s completed, where the slots ask "
              f"{scheduled['window_asked_per_s']:.1f} a second (RUNNING within 1 s needs the service to keep up with that).",
              f"Peak RSS of `sluice serve` at the end: {figures['peak_rss_mib']:.0f} MiB.", ""]
    return "\n".join(lines)


def main(argv):
    parser = argparse.ArgumentParser(prog="bench/orchestration.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency-runs", type=int, default=50)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--pipelines", type=int, default=100)
    parser.add_argument("--schedules", type=int, default=10000)
    parser.add_argument("--window-schedules", type=int, default=1000)
    parser.add_argument("--register-threads", type=int, default=8, help="client threads registering the scheduled pipelines")
    parser.add_argument("--max-active", type=int, default=8)
    parser.add_argument("--output", default=os.path.join(ROOT, "bench", "RESULTS-orchestration.md"))
    args = parser.parse_args(argv)
    root = tempfile.mkdtemp(prefix="sluice-orchestration.")
    work = {"root": root, "data": os.path.join(root, "input")}
    os.makedirs(work["data"])
    with open(os.path.join(work["data"], "pings.jsonl"), "w") as data:
        data.write('{"id": 1, "at": "2026-01-01T00:00:00Z"}\n')
    server = Server(root, args.max_active)
    try:
        with sluice.Client(server.target, timeout=60) as client:
            figures = {"when": datetime.date.today().isoformat(), "max_active": args.max_active}
            print("bench: trigger → RUNNING latency", flush=True)
            figures["latency"] = latency(client, work, args.latency_runs)
            print("bench: concurrent runs", flush=True)
            figures["concurrent"] = concurrent_runs(client, server, work, args.runs, args.pipelines)
            print("bench: schedules", flush=True)
            figures["schedules"] = schedules(client, work, args.schedules, args.window_schedules, args.register_threads)
            figures["peak_rss_mib"] = server.peak_rss_mib()
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
    report = markdown(figures, argv)
    with open(args.output, "w") as output:
        output.write(report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
