"""The report's section "Targets against this stack's floor": every speed and memory target of a run beside the least
any loader on this stack can take (Sluice's fixed cost plus the native engine's own work, measured in the same run),
and whether the target is met, reachable in principle, or below the floor."""
import statistics

from .render import idle_rss, peak_rss, ran, row_verdict, table
from .results import FIXED_COST, Problem, STARTUP, outcomes, tool_results
from .scenarios import BY_NAME
from .startup import DLT_IMPORT, DLT_TINY, IDLE_SECONDS

MIB = 2 ** 20
SHARES = {1 / 5: "⅕", 1 / 3: "⅓"}
SERVE_IDLE_RSS = 100 * MIB  # the target for an idle `sluice serve`


def median(runs, field):
    return statistics.median(run[field] for run in runs)


def least(runs, field):
    return min(run[field] for run in runs)


def verdict(result, target, floor, missing="pending"):
    """Met, reachable in principle, or below the floor (result None: Sluice did not run it, `missing` says why)."""
    if result is not None and result <= target:
        return "met"
    reachable = floor <= target
    if result is not None and result < floor:  # a lower bound that is not one: the machine was busier for one of them
        return "not met; Sluice below the floor measured in this run (a noisy run: measure again)"
    if result is None:
        return f"{missing}; " + ("floor below target" if reachable else "target below floor")
    return ("not met; floor below target (reachable in principle)" if reachable
            else "cannot be reached on this stack: target below floor")


def engine_floor(outcome, fixed_seconds):
    """(the floor's seconds, its cell) of a scenario: the fixed cost plus the median of the engine's own work and of
    each of its parts; None when the engine's work was not measured (an older results file)."""
    scenario = BY_NAME[outcome.name]
    runs = outcome.results.get("engine" if scenario.engine else "duckdb")
    if not ran(runs) or any("work_seconds" not in run for run in runs):
        return None
    work = median(runs, "work_seconds")
    parts = [f"{statistics.median(run['stages'][part] for run in runs):.2f} s {part}" for part in runs[0]["stages"]]
    return fixed_seconds + work, f"{fixed_seconds:.2f} s fixed + {' + '.join(parts)} = {fixed_seconds + work:.2f} s"


def memory_floor(outcome, fixed_rss):
    """(the memory floor in bytes, its cell): the fixed cost's peak RSS, plus the least memory the engine's own work
    took inside its process (engine.py under the least memory limit it completed within) when that work is the one
    Sluice has DuckDB do in its own process (Scenario.memory_floor)."""
    scenario = BY_NAME[outcome.name]
    runs = outcome.results.get(scenario.memory_floor) if scenario.memory_floor else None
    least = next((run["least_memory"] for run in runs if run.get("least_memory")), None) if ran(runs) else None
    if least is None:
        return fixed_rss, f"{fixed_rss / MIB:,.0f} MiB (fixed cost)"
    total = fixed_rss + least["bytes"]
    return total, (f"{fixed_rss / MIB:,.0f} MiB fixed + {least['bytes'] / MIB:,.0f} MiB DuckDB's own work under "
                   f"{least['limit']} = {total / MIB:,.0f} MiB")


def time_target(scenario, dlt, reader):
    """(the scenario's time target in seconds, how it is computed, the ratios of a time to dlt and to the reader)."""
    values, words = [], []
    for against, goal in scenario.targets:
        if against == "dlt":
            values.append(median(dlt, "wall_seconds") / goal)
            words.append(f"dlt / {goal:g}")
        else:
            values.append(goal * median(reader, "wall_seconds"))
            words.append(f"{goal:g} × `{scenario.duckdb_reader}`")

    def ratios(seconds):
        return ", ".join(f"{median(dlt, 'wall_seconds') / seconds:.1f}× dlt" if against == "dlt"
                         else f"{seconds / median(reader, 'wall_seconds'):.2f}× `{scenario.duckdb_reader}`"
                         for against, _ in scenario.targets)
    return min(values), ("min(" + ", ".join(words) + ")") if len(words) > 1 else words[0], ratios


def scenario_rows(outcome, fixed_seconds, fixed_rss):
    scenario = BY_NAME[outcome.name]
    sluice, dlt, reader = (outcome.results.get(tool) for tool in ("sluice", "dlt", "duckdb"))
    if not scenario.targets or not ran(dlt) or (scenario.duckdb_reader and not ran(reader)):
        return []
    comparable = row_verdict(outcome) != "rows differ"
    missing = sluice.status if isinstance(sluice, Problem) else "not run"
    rows = []
    floor = engine_floor(outcome, fixed_seconds)
    goal, how, ratios = time_target(scenario, dlt, reader)
    wanted = ", ".join(f"≥{value:g}× dlt" if against == "dlt" else f"≤{value:g}× `{scenario.duckdb_reader}`"
                       for against, value in scenario.targets)
    result = median(sluice, "wall_seconds") if ran(sluice) else None
    if not comparable:
        judged = "not comparable until the rows match"
    else:
        judged = verdict(result, goal, floor[0], missing) if floor else "—"
    rows.append([scenario.title, f"time {wanted}", f"{how} = {goal:.2f} s", floor[1] if floor else "—",
                 f"{result:.2f} s" if result is not None else missing, judged, ratios(floor[0]) if floor else "—",
                 ratios(result) if result is not None else "—"])
    memory_goal = peak_rss(dlt) * scenario.memory_target
    share = SHARES.get(scenario.memory_target, f"{scenario.memory_target:g}×")
    memory = peak_rss(sluice) if ran(sluice) else None
    least, least_cell = memory_floor(outcome, fixed_rss)
    rows.append([scenario.title, f"peak RSS ≤{share} dlt's", f"{peak_rss(dlt) / MIB:,.0f} MiB × {share} = "
                 f"{memory_goal / MIB:,.0f} MiB", least_cell,
                 f"{memory / MIB:,.0f} MiB" if memory is not None else missing,
                 verdict(memory, memory_goal, least, missing), f"{least / peak_rss(dlt):.2f}× dlt's",
                 f"{memory / peak_rss(dlt):.2f}× dlt's" if memory is not None else "—"])
    return rows


def startup_rows(document, fixed_seconds, fixed_start, fixed_rss):
    """The start-up targets, whose floor is the fixed cost alone: the tiny one-shot run ≤0.35× dlt's (the whole fixed
    cost: it starts and stops), `serve` → first call ≤ `import dlt` (the fixed cost to its first output: started,
    not yet stopped) and serve's idle RSS ≤100 MiB (the fixed cost's peak RSS: the JVM, Quarkus and the catalog started
    with nothing to do, as an idle serve is, its servers besides)."""
    measures = {label: runs for label, runs in tool_results(document, STARTUP).items() if ran(runs)}
    # bin/sluice's own way: with the AOT cache when there is one, the last variant measured
    one_shot = [runs for label, runs in measures.items() if "one-shot" in label]
    serve = [runs for label, runs in measures.items() if "`sluice serve`" in label]
    rows = []
    fixed_cell = f"{fixed_seconds:.2f} s (fixed cost)"
    if one_shot and DLT_TINY in measures:
        dlt, sluice = median(measures[DLT_TINY], "wall_seconds"), median(one_shot[-1], "wall_seconds")
        rows.append(["one-shot run of bench/tiny.yaml", "time ≤0.35× dlt's", f"0.35 × {dlt:.2f} s = {0.35 * dlt:.2f} s",
                     fixed_cell, f"{sluice:.2f} s", verdict(sluice, 0.35 * dlt, fixed_seconds),
                     f"{fixed_seconds / dlt:.2f}× dlt's", f"{sluice / dlt:.2f}× dlt's"])
    if serve and DLT_IMPORT in measures and fixed_start is not None:
        imported, sluice = median(measures[DLT_IMPORT], "wall_seconds"), median(serve[-1], "wall_seconds")
        rows.append(["`sluice serve` → first gRPC call", "time ≤ `import dlt`", f"{imported:.2f} s",
                     f"{fixed_start:.2f} s (fixed cost to its first output)", f"{sluice:.2f} s",
                     verdict(sluice, imported, fixed_start), f"{fixed_start / imported:.2f}× `import dlt`",
                     f"{sluice / imported:.2f}× `import dlt`"])
    idle = idle_rss(serve[-1]) if serve else None
    if idle is not None:
        rows.append([f"`sluice serve` idle, {IDLE_SECONDS} s after its first call", "RSS ≤100 MiB",
                     f"{SERVE_IDLE_RSS / MIB:,.0f} MiB", f"{fixed_rss / MIB:,.0f} MiB (fixed cost)",
                     f"{idle / MIB:,.0f} MiB", verdict(idle, SERVE_IDLE_RSS, fixed_rss), f"{fixed_rss / MIB:,.0f} MiB",
                     f"{idle / MIB:,.0f} MiB"])
    return rows


def floor_lines(document):
    fixed = tool_results(document, FIXED_COST).get("sluice")
    if fixed is None:
        return []  # a results file from before the floor was measured
    entry = next(entry for entry in document["scenarios"] if entry["name"] == FIXED_COST)
    lines = ["## Targets against this stack's floor", ""]
    if not ran(fixed):
        return lines + [f"The fixed cost (`{entry['command']}`) did not run: {fixed.text()}.", ""]
    # The least of the tries, not their median: a lower bound's best estimate, since a busy machine only adds to a try
    # (with the median, a start-up Sluice measured at about the fixed cost came out below it in a noisy run).
    fixed_seconds, fixed_rss = least(fixed, "wall_seconds"), least(fixed, "peak_rss_bytes")
    fixed_start = (min(run["marks"]["first output"] for run in fixed)
                   if all("first output" in run["marks"] for run in fixed) else None)
    rows = [row for outcome in outcomes(document) for row in scenario_rows(outcome, fixed_seconds, fixed_rss)]
    rows += startup_rows(document, fixed_seconds, fixed_start, fixed_rss)
    lines += table(["scenario", "target", "target value (this run)", "floor: fixed cost + the engine's own work",
                    "Sluice", "verdict", "closest result (at the floor)", "Sluice now"], rows) + [""]
    lines += [
        f"The floor is the least any loader on this stack can take. Sluice's fixed cost: `{entry['command']}` — the "
        "JVM, Quarkus and the catalog started and stopped with no work, with the timed runs' JVM flags and AOT cache — "
        f"the least of {len(fixed)} in this run: {fixed_seconds:.2f} s and {fixed_rss / MIB:,.0f} MiB peak RSS (the same "
        "sampling as the tools). Plus the native engine doing the scenario's own work alone on the same data, timed "
        "inside its own process beside the tools' runs, each from an empty destination, its rows checked like the "
        "tools': P1 DuckDB reading the files once, then building from that read the root table and a table for each "
        "nested list, as Sluice does; P6 DuckDB's reader into a table (the reader's runs above, the read alone); P2 the source table "
        "out of PostgreSQL with `COPY (SELECT …) TO STDOUT` as CSV into a file, then DuckDB reading that file into a "
        "table — one after the other, because Sluice stages a durable load package between extract and load; P3 "
        "every page's bytes through one keep-alive connection, then `COPY` of the records into PostgreSQL (parsing "
        "the pages and writing their CSV, a loader's own work, run between the two untimed); P4 DuckDB reading "
        "the merge files and merging them by key into the base table (loaded untimed); P7 `COPY … FROM STDIN (FORMAT "
        "csv, HEADER)` of the files into a new table; P8 the same into a staging table, then the merge into the base "
        "table (loaded untimed). Both merges delete the stored rows of the merging keys by a join, or, when the files' "
        "keys are every integer of one range (found untimed), by that range first, the files then read or copied "
        "straight into the table, as Sluice does when its scan shows it. "
        "It is a lower bound: Sluice must start before it works and must make the engine do "
        "at least this work, so no change inside Sluice gets below it; a target below it needs another stack (no "
        "JVM and Quarkus start, e.g. a native executable). The memory floor is the fixed cost's peak RSS, Sluice "
        "holding no data, plus, where the engine's work is the one Sluice has DuckDB do inside its own process (P2, P4, "
        "P6: CSV read into a table, CSV files merged), the memory that work itself takes: the same work run once more "
        "after the first timed run, under DuckDB memory "
        "limits from 12MB up until one completes, on one thread, reading CSV in 1 MiB buffers, and the most its process's "
        "peak RSS rose above its RSS at the start of a timed part (engine.py's `memory`). The start-up targets' floor is the fixed cost alone: all of it for the one-shot run, which starts and stops; for "
        "`serve` → first call the time to its first output, Quarkus started and not yet stopped; for `serve`'s idle RSS "
        "the fixed cost's peak RSS, the JVM, Quarkus and the catalog started with nothing to do, as an idle `serve` is "
        "(its gRPC and HTTP servers besides). \"Closest result\" is the target's ratio a run taking exactly the floor "
        "would reach, or for a target in MiB the floor itself.", ""]
    return lines
