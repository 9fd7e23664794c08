"""Per-run overhead of a trivial pipeline (one JSON line into DuckDB) in a warm `sluice serve`: the medians of the
server-side created → RUNNING and created → ended times (from GetRun) over RUNS runs (default 30), after 5 warm-up
runs, and how created → ended splits into the stages' own work (the extract, normalize and load times the run's summary
reports) and the orchestration around them (dispatch, state changes, catalog writes); and, as the client sees it, how long
TriggerRun took to answer and in which state its answer left the run. TIMELINE=1 also prints the
last run's stored events with their times since the run was created. SLUICE_APP selects the build;
SLUICE_BENCH_JAVA_OPTS adds JVM options (a JFR recording, say).

    clients/python/.venv/bin/python bench/overhead.py
"""
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import orchestration as o  # noqa: E402
import sluice  # noqa: E402
from sluice.v1 import run_state_pb2  # noqa: E402


def timeline(client, run):
    """The run's stored events, each with its time since the run was created."""
    created = o.seconds(run.create_time)
    for event in client.follow(run.id, timeout=30):
        kind = event.WhichOneof("kind")
        if kind == "snapshot":
            continue
        detail = {"state_change": lambda: "%s -> %s" % (run_state_pb2.RunState.Name(getattr(event.state_change, "from")),
                                                         run_state_pb2.RunState.Name(event.state_change.to)),
                  "log": lambda: event.log.message[:90]}.get(kind, lambda: "")()
        print("  %8.1f ms  %-13s %s" % (1000 * (o.seconds(event.time) - created), kind, detail))


work = tempfile.mkdtemp(prefix="o15-")
data = os.path.join(work, "in")
os.makedirs(data)
with open(os.path.join(data, "p.jsonl"), "w") as line:
    line.write('{"id": 1, "name": "x"}\n')
server = o.Server(work, 4)
try:
    client = sluice.Client(server.target)
    client.register(o.pipeline("trivial", data, os.path.join(work, "trivial.duckdb")))
    for _ in range(5):
        client.wait(client.trigger("trivial").id, timeout=120)
    running_ms, ended_ms, stages_ms, answered_ms, answered_states = [], [], [], [], []
    for _ in range(int(os.environ.get("RUNS", "30"))):
        asked = time.perf_counter()
        answer = client.trigger("trivial")
        answered_ms.append(1000 * (time.perf_counter() - asked))
        answered_states.append(run_state_pb2.RunState.Name(answer.state))
        run = client.wait(answer.id, timeout=120)
        run = client.run(run.id)
        assert run.state == run_state_pb2.COMPLETED, run
        c, s, e = o.seconds(run.create_time), o.seconds(run.start_time), o.seconds(run.end_time)
        running_ms.append(1000 * (s - c))
        ended_ms.append(1000 * (e - c))
        stages_ms.append(sum(1000 * (stage.elapsed.seconds + stage.elapsed.nanos / 1e9) for stage in run.summary.stages))
    print("created -> RUNNING median %.1f ms, created -> ended median %.1f ms"
          % (statistics.median(running_ms), statistics.median(ended_ms)))
    orchestration = [ended - stages for ended, stages in zip(ended_ms, stages_ms)]
    print("of created -> ended: stages (extract + normalize + load) median %.1f ms, the rest (orchestration) median %.1f ms"
          % (statistics.median(stages_ms), statistics.median(orchestration)))
    print("TriggerRun answered (client side) median %.1f ms; the answers' states: %s"
          % (statistics.median(answered_ms), ", ".join("%s %d" % (state, answered_states.count(state))
                                                       for state in sorted(set(answered_states)))))
    if os.environ.get("TIMELINE"):
        timeline(client, run)
finally:
    server.stop()
