"""The fixed results file the tests read (results-quick.json: the rows of a quick run, Sluice's P1 missing its child
tables, P2 and P4 pending, the fixed cost and the engine's own work of P2 and P4 beside them), and the package
on the path."""
import copy
import json
import os
import sys

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, BENCH)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "results-quick.json")) as handle:
    FIXTURE = json.load(handle)


def fixture():
    """A copy of the fixed results, free to change."""
    return copy.deepcopy(FIXTURE)


def record(document, scenario, tool):
    return next(run for run in document["runs"] if run["scenario"] == scenario and run["tool"] == tool)


def problem(document, scenario, tool, status, reason):
    """The tool's run of the scenario replaced by its problem record."""
    run = record(document, scenario, tool)
    run.clear()
    run.update(scenario=scenario, tool=tool, status=status, reason=reason)
