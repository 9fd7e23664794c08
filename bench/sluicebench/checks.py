"""The smoke checks, on a results document (results.py): it is complete, and every tool that ran a scenario loaded
exactly the generator's rows (and a merge's values). They assert shape and correctness, never speed."""
from .render import idle_rss, ran, row_verdict
from .results import FIXED_COST, Problem, STARTUP, outcomes, startup_tries, tool_results
from .scenarios import BY_NAME

FACTS = ("cores (nproc)", "memory", "JDK", "Python", "dlt", "duckdb (Python)", "DuckDB (Sluice's JDBC driver)")


def differences(outcome, tool, run):
    """What one run loaded other than the generator says, in words; empty when it loaded exactly that."""
    found = []
    expected = BY_NAME[outcome.name].expected_of(tool, outcome.expected)
    for table in sorted(set(expected) | set(run["rows"])):
        loaded, wanted = run["rows"].get(table, 0), expected.get(table, 0)
        if loaded != wanted:
            found.append(f"{tool} run {run['run']}: `{table}` has {loaded:,} rows, expected {wanted:,}")
    for name in sorted(set(outcome.merged) | set(run["merged"])):
        loaded, wanted = run["merged"].get(name), outcome.merged.get(name)
        if loaded != wanted:
            found.append(f"{tool} run {run['run']}: after the merge {name} is {loaded}, expected {wanted}")
    return found


def check(document, scenarios):
    """Checks the document holds every scenario of `scenarios` as required: (passed, [failure message])."""
    passed, failures = 0, []

    def expect(ok, message):
        nonlocal passed
        if ok:
            passed += 1
        else:
            failures.append(message)

    named = {fact for fact, _ in document["machine"]}
    for fact in FACTS:
        expect(fact in named, f"machine facts name {fact}")
    by_name = {outcome.name: outcome for outcome in outcomes(document)}
    # A results file from before the floor was measured (no fixed cost) is checked as it was then: no engine runs.
    floored = any(entry["name"] == FIXED_COST for entry in document["scenarios"])
    for name in scenarios:
        if name in (STARTUP, FIXED_COST):
            continue
        outcome = by_name.get(name)
        expect(outcome is not None, f"{name}: results for it")
        if outcome is None:
            continue
        scenario = BY_NAME[name]
        for tool in (scenario.required if floored else scenario.must_run):
            runs = outcome.results.get(tool)
            expect(ran(runs), f"{name}: {tool} ran it, got {runs.text() if isinstance(runs, Problem) else 'no runs'}")
        sluice = outcome.results.get("sluice")
        expect(ran(sluice) or (isinstance(sluice, Problem) and sluice.status == "pending"),
               f"{name}: Sluice ran it or is pending, got {sluice.text() if isinstance(sluice, Problem) else 'no runs'}")
        # A time is only worth comparing when every tool loaded what the generator says (a merge's updated values
        # too): "rows differ" is a failure, not a footnote.
        found = [difference for tool, runs in outcome.results.items() if ran(runs) for run in runs
                 for difference in differences(outcome, tool, run)]
        expect(not found and row_verdict(outcome) in ("same", "dlt only: as expected"),
               f"{name}: every tool that ran it loaded the generator's rows"
               f"{' and merged values' if scenario.merge else ''}; "
               + ("; ".join(found) if found else f"verdict {row_verdict(outcome)!r}"))
    if FIXED_COST in scenarios:
        entry = next((entry for entry in document["scenarios"] if entry["name"] == FIXED_COST), None)
        runs = tool_results(document, FIXED_COST).get("sluice")
        expect(entry is not None and ran(runs) and len(runs) == entry["tries"],
               "the fixed cost took every try, got " + (runs.text() if isinstance(runs, Problem) else
                                                        f"{len(runs) if runs else 0}"))
    if STARTUP in scenarios:
        tries = startup_tries(document)
        expect(tries is not None, "start-up was measured")
        measures = tool_results(document, STARTUP)
        expect(len(measures) >= 4, f"at least 4 start-up measures, got {len(measures)}")
        for label, runs in measures.items():
            expect(ran(runs) and len(runs) == tries, f"start-up: {label} took {tries} tries, got "
                   + (runs.text() if isinstance(runs, Problem) else f"{len(runs)}"))
            if "`sluice serve`" in label and ran(runs):
                expect(idle_rss(runs) is not None, f"start-up: {label} has its idle RSS in every try")
    return passed, failures
