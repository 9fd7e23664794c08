"""The results of one harness run as JSON: a record per run of a tool (or its pending/failed status), beside the
scenarios' expectations, the machine facts, profiles and notes. The Markdown and the checks read only this."""
import dataclasses
import json
import os

from .layout import ROOT
from .process import Pending

STARTUP = "startup"
FIXED_COST = "fixed-cost"  # Sluice started and stopped with no work (startup.fixed_cost): not a scenario
# The tool a scaling scenario runs beside Sluice at its own size: Sluice at its base scenario's size, alternating with
# it, so that both times of "how cost grows" meet the same machine; recorded under the base scenario.
BESIDE_SCALED = "sluice-1x"


@dataclasses.dataclass(frozen=True)
class Problem:
    """A tool that did not run a scenario: status "pending" (today's Sluice refuses it) or "failed"."""
    status: str
    reason: str

    def text(self):
        return f"{self.status}: {self.reason}"


@dataclasses.dataclass(frozen=True)
class Outcome:
    """One scenario of a results file: what the generator expects and, per tool, its runs or its problem."""
    name: str
    size: int
    expected: dict
    merged: dict
    results: dict  # tool → [run record, …] or Problem


def run_record(scenario, tool, index, size, measurement):
    """One run as a record: wall seconds, peak RSS, rows read back, and when its output came (the split of Sluice's
    time: first output, summary; the stages Sluice prints)."""
    record = {"scenario": scenario, "tool": tool, "run": index + 1, "status": "ok", "size": size,
              "wall_seconds": measurement.seconds, "peak_rss_bytes": measurement.rss, "rows": measurement.counts,
              "merged": measurement.merged, "marks": measurement.marks, "stages": measurement.stages,
              "log": os.path.relpath(measurement.log, ROOT)}
    if measurement.work is not None:
        record["work_seconds"] = measurement.work
    if measurement.least_memory is not None:
        record["least_memory"] = measurement.least_memory
    if measurement.idle_rss is not None:
        record["idle_rss_bytes"] = measurement.idle_rss
    if size:
        record["rows_per_second"] = size / measurement.seconds
    return record


def problem_record(scenario, tool, problem):
    return {"scenario": scenario, "tool": tool, "status": "pending" if isinstance(problem, Pending) else "failed",
            "reason": str(problem)}


def tool_results(document, scenario):
    """{tool: [ok records] or Problem} of a scenario, tools in the order they first ran; a problem outweighs runs."""
    results = {}
    for record in document["runs"]:
        if record["scenario"] != scenario:
            continue
        if record["status"] != "ok":
            results[record["tool"]] = Problem(record["status"], record["reason"])
        elif not isinstance(results.setdefault(record["tool"], []), Problem):
            results[record["tool"]].append(record)
    return results


def outcomes(document):
    """The scenarios of a results file other than start-up and the fixed cost, in the order they ran."""
    return [Outcome(entry["name"], entry["size"], entry["expected"], entry["merged"],
                    tool_results(document, entry["name"]))
            for entry in document["scenarios"] if entry["name"] not in (STARTUP, FIXED_COST)]


def startup_tries(document):
    """The number of start-up tries, or None when start-up was not measured."""
    return next((entry["tries"] for entry in document["scenarios"] if entry["name"] == STARTUP), None)


def write(document, path):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as handle:
        json.dump(document, handle, indent=2, ensure_ascii=False)
        handle.write("\n")


def load(path):
    with open(path) as handle:
        document = json.load(handle)
    for field in ("mode", "command", "started", "finished", "runs_per_tool", "machine", "scenarios", "runs",
                  "profiles", "notes"):
        if field not in document:
            raise SystemExit(f"bench: {path} is not a results file: it has no field {field!r}")
    return document
