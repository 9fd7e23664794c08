"""The Markdown report, rendered from a results document (results.py) alone."""
import datetime
import statistics

from .destinations import MERGED_SQL
from .results import BESIDE_SCALED, FIXED_COST, Problem, STARTUP, outcomes, startup_tries, tool_results
from .scenarios import BY_NAME
from .startup import DLT_TINY, IDLE_SECONDS

HEADER = ["scenario", "size", "Sluice", "dlt", "DuckDB's reader", "dlt / Sluice", "Sluice / DuckDB",
          "peak RSS Sluice", "peak RSS dlt", "RSS Sluice / dlt", "rows", "target"]
THROUGHPUT_HEADER = ["scenario", "rows", "Sluice rows/s", "dlt rows/s"]
SCALING_TIME_TARGET, SCALING_MEMORY_TARGET = 10.5, 1.2  # 10× the data: at most 10.5× the time, 1.2× the peak RSS


def ran(value):
    """Whether a tool's result is runs (not a problem, not absent)."""
    return isinstance(value, list) and bool(value)


def median_seconds(runs):
    return statistics.median(run["wall_seconds"] for run in runs)


def peak_rss(runs):
    return max(run["peak_rss_bytes"] for run in runs)


def sluice_phases(runs):
    """Where a one-shot Sluice run's wall time goes, medians over runs: start (launch → first line printed, i.e.
    JVM, Quarkus and catalog), the run itself (→ summary printed; its stages as Sluice reports them) and the exit."""
    def median_of(value):
        return statistics.median(value(run) for run in runs)
    phases = {"wall": median_of(lambda run: run["wall_seconds"])}
    if all("first output" in run["marks"] and "summary" in run["marks"] for run in runs):
        phases["start → first output"] = median_of(lambda run: run["marks"]["first output"])
        phases["first output → summary"] = median_of(lambda run: run["marks"]["summary"] - run["marks"]["first output"])
        phases["summary → exit"] = median_of(lambda run: run["wall_seconds"] - run["marks"]["summary"])
    for stage in runs[0]["stages"]:
        phases[f"stage {stage}"] = median_of(lambda run: run["stages"].get(stage, 0))
    return phases


def row_verdict(outcome):
    """Whether every run of every tool loaded the generator's row counts and, after a merge, its merged values."""
    done = {tool: runs for tool, runs in outcome.results.items() if ran(runs)}
    if not done:
        return "no rows"
    scenario = BY_NAME[outcome.name]
    ok = all(run["rows"] == scenario.expected_of(tool, outcome.expected) and run["merged"] == outcome.merged
             for tool, runs in done.items() for run in runs)
    if "sluice" not in done:
        return "dlt only: as expected" if ok else "dlt only: rows differ"
    return "same" if ok else "rows differ"


def seconds_cell(value):
    if isinstance(value, Problem):
        return value.text()
    return f"{median_seconds(value):.2f} s" if value else "—"


def rss_cell(value):
    return f"{peak_rss(value) / 2 ** 20:,.0f} MiB" if ran(value) else "—"


def idle_rss(runs):
    """serve's idle RSS over its tries (the most of them, as peak RSS is), or None when it was not measured."""
    return max(run["idle_rss_bytes"] for run in runs) if ran(runs) and all("idle_rss_bytes" in run for run in runs) \
        else None


def idle_rss_cell(runs):
    idle = idle_rss(runs)
    return f"{idle / 2 ** 20:,.0f} MiB" if idle is not None else "—"


def ratio(numerator, denominator):
    return median_seconds(numerator) / median_seconds(denominator) if ran(numerator) and ran(denominator) else None


def ratio_cell(value, precision=1):
    return "—" if value is None else f"{value:.{precision}f}×"


def target_cell(scenario, ratios, verdict):
    if verdict == "rows differ":
        return "not comparable until the rows match"
    if not scenario.targets:
        return "none set"
    verdicts = []
    for against, goal in scenario.targets:
        speed = ratios[against]
        if speed is None:
            return "pending"
        met = speed >= goal if against == "dlt" else speed <= goal
        want = f"≥{goal:g}× dlt" if against == "dlt" else f"≤{goal:g}× DuckDB"
        verdicts.append(f"{want}: {'met' if met else 'not met'}")
    memory = ratios["rss"]
    share = {1 / 5: "⅕", 1 / 3: "⅓"}.get(scenario.memory_target, f"{scenario.memory_target:g}×")
    return "; ".join(verdicts) + f"; RSS ≤{share} dlt: " + (
        "—" if memory is None else ("met" if memory <= scenario.memory_target else "not met"))


def scenario_row(outcome):
    scenario, results = BY_NAME[outcome.name], outcome.results
    sluice, dlt, duckdb = results.get("sluice"), results.get("dlt"), results.get("duckdb")
    ratios = {"dlt": ratio(dlt, sluice), "duckdb": ratio(sluice, duckdb),
              "rss": peak_rss(sluice) / peak_rss(dlt) if ran(sluice) and ran(dlt) else None}
    verdict = row_verdict(outcome)
    return [scenario.title, f"{outcome.size:,} {scenario.unit}", seconds_cell(sluice), seconds_cell(dlt),
            seconds_cell(duckdb) if duckdb is not None else "—", ratio_cell(ratios["dlt"]),
            ratio_cell(ratios["duckdb"], 2), rss_cell(sluice), rss_cell(dlt), ratio_cell(ratios["rss"], 2),
            verdict, target_cell(scenario, ratios, verdict)]


def scaling_lines(scenarios):
    """Each scaling scenario beside the one it multiplies: how Sluice's time and peak memory grow with the data."""
    by_name = {outcome.name: outcome for outcome in scenarios}
    rows, alternated = [], True
    for outcome in scenarios:
        scaled = BY_NAME[outcome.name]
        base = by_name.get(scaled.scales[0]) if scaled.scales else None
        if base is None:
            continue
        # the base size's runs that alternated with the scaled ones, when this run has them, else the base scenario's own
        beside = base.results.get(BESIDE_SCALED)
        alternated = alternated and ran(beside)
        small, large = beside if ran(beside) else base.results.get("sluice"), outcome.results.get("sluice")
        time_ratio = ratio(large, small)
        memory_ratio = peak_rss(large) / peak_rss(small) if ran(small) and ran(large) else None
        verdict = "—" if time_ratio is None else "; ".join([
            f"time ≤{SCALING_TIME_TARGET:g}×: {'met' if time_ratio <= SCALING_TIME_TARGET else 'not met'}",
            f"RSS ≤{SCALING_MEMORY_TARGET:g}×: {'met' if memory_ratio <= SCALING_MEMORY_TARGET else 'not met'}"])
        rows.append([f"{BY_NAME[base.name].title} → ×{scaled.scales[1]}", f"{base.size:,} → {outcome.size:,} "
                     f"{scaled.unit}", seconds_cell(small), seconds_cell(large), ratio_cell(time_ratio, 2),
                     rss_cell(small), rss_cell(large), ratio_cell(memory_ratio, 2), row_verdict(outcome), verdict])
    if not rows:
        return []
    return (["## How cost grows", "",
             "Sluice alone on the same generator's data at its scenario's size and at a multiple of it (one-shot runs, "
             "process start included, so the time ratio of a small size is flattered by the fixed start-up cost)"
             + (", the two sizes' runs alternating so that both meet the same machine (the 1× runs are not the "
                "scenario's own above)." if alternated else "; the 1× runs are the scenario's own above."), ""]
            + table(["scenario", "size", "Sluice 1×", "Sluice ×N", "time ×N / 1×", "peak RSS 1×", "peak RSS ×N",
                     "RSS ×N / 1×", "rows", "target"], rows) + [""])


def baseline_lines(document, scenarios):
    """This build against the baseline build (--baseline), run alternately on the same scenarios in this run."""
    if not document.get("baseline"):
        return []
    rows = []
    for outcome in scenarios:
        sluice, baseline = outcome.results.get("sluice"), outcome.results.get("baseline")
        if sluice is None and baseline is None:
            continue
        rows.append([BY_NAME[outcome.name].title, seconds_cell(baseline), seconds_cell(sluice),
                     ratio_cell(ratio(baseline, sluice), 2), rss_cell(baseline), rss_cell(sluice)])
    return (["## This build against the baseline build", "",
             f"The baseline is the build in `{document['baseline']}`, run as a tool of its own, alternating with this "
             "build; baseline / this build above 1 means this build is faster.", ""]
            + table(["scenario", "baseline", "this build", "baseline / this build", "peak RSS baseline",
                     "peak RSS this build"], rows) + [""])


def rows_per_second_cell(value, rows):
    return f"{rows / median_seconds(value):,.0f}" if ran(value) else seconds_cell(value)


def throughput_row(outcome):
    scenario = BY_NAME[outcome.name]
    return [scenario.title, f"{outcome.size:,} {scenario.unit}",
            rows_per_second_cell(outcome.results.get("sluice"), outcome.size),
            rows_per_second_cell(outcome.results.get("dlt"), outcome.size)]


def detail_rows(outcome):
    """The rows per table (and a merge's values) expected and loaded by each tool's last run."""
    scenario = BY_NAME[outcome.name]
    tables = sorted(set(outcome.expected) | {table for runs in outcome.results.values() if ran(runs)
                                             for table in runs[-1]["rows"]})
    checks = [(f"`{name}`", name, outcome.expected.get(name, 0), lambda run, name=name: run["rows"].get(name, 0))
              for name in tables]
    checks += [(f"`accounts` after the merge: {name}", None, value, lambda run, name=name: run["merged"].get(name))
               for name, value in sorted(outcome.merged.items(), key=lambda item: list(MERGED_SQL).index(item[0]))]
    rows = []
    for label, table_name, wanted, loaded in checks:
        row = [outcome.name.upper(), label, f"{wanted:,}"]
        for tool in ("sluice", "dlt", "duckdb"):
            runs = outcome.results.get(tool)
            if table_name in outcome.expected and table_name not in scenario.expected_of(tool, outcome.expected):
                row.append("—")  # DuckDB's read_json keeps the child tables' rows nested in the root table
            elif ran(runs):
                value = loaded(runs[-1])
                row.append("—" if value is None else f"{value:,}")
            else:
                row.append("—" if runs is None else runs.status)
        rows.append(row)
    return rows


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return lines


def stage_times(document):
    """Sluice run → its phases, for every scenario Sluice ran and the one-shot start-up runs, in the order run."""
    times = {}
    for entry in document["scenarios"]:
        for tool, runs in tool_results(document, entry["name"]).items():
            if not ran(runs):
                continue
            if entry["name"] not in (STARTUP, FIXED_COST) and tool == "sluice":
                times[entry["name"].upper()] = sluice_phases(runs)
            elif entry["name"] == STARTUP and "one-shot" in tool:
                times["tiny, " + tool.rsplit("(", 1)[1].rstrip(")")] = sluice_phases(runs)
    return times


def startup_lines(document):
    tries = startup_tries(document)
    if tries is None:
        return []
    lines = ["## Start-up", "",
             f"Median of {tries} tries; bench/tiny.yaml loads deploy/samples/customers.csv (5,000 rows) "
             "into DuckDB; `bin/sluice` starts the JVM as users start it, with the AOT cache `make aot` trains and "
             "without it (`SLUICE_AOT=off`). `serve`'s peak RSS is until its first answered call; its idle RSS is the "
             f"most over the {IDLE_SECONDS}th second after that call, with no other call (the most of the tries).", ""]
    results = tool_results(document, STARTUP)
    rows = []
    for label, runs in results.items():
        counts = runs[-1]["rows"] if ran(runs) and runs[-1]["rows"] else None
        rows.append([label, seconds_cell(runs), rss_cell(runs), idle_rss_cell(runs),
                     ", ".join(f"{name} {count:,}" for name, count in counts.items()) if counts else "—"])
    lines += table(["start-up", "median", "peak RSS", "idle RSS", "rows"], rows) + [""]
    tiny_sluice = [runs for label, runs in results.items() if "one-shot" in label]
    tiny_dlt = results.get(DLT_TINY)
    if tiny_sluice and ratio(tiny_dlt, tiny_sluice[-1]):
        lines += [f"Tiny pipeline, dlt / Sluice ({'AOT cache' if len(tiny_sluice) > 1 else 'plain JVM'}): "
                  f"{ratio(tiny_dlt, tiny_sluice[-1]):.2f}×", ""]
    return lines


def profile_lines(document):
    times, profiles = stage_times(document), document["profiles"]
    if not (profiles or times):
        return []
    lines = ["## Where Sluice's time goes", ""]
    columns = list(dict.fromkeys(name for phases in times.values() for name in phases))
    lines += ["Medians over the timed runs: the wall time split by when Sluice printed its first line and its "
              "summary, and the stage times Sluice reports.", ""]
    lines += table(["Sluice run"] + columns, [[run] + [f"{phases[name]:.2f} s" if name in phases else "—"
                                                       for name in columns] for run, phases in times.items()])
    lines.append("")
    for scenario, profile in profiles.items():
        total = max(profile["samples"], 1)
        lines += [f"### {scenario.upper()}: JFR execution samples ({profile['samples']:,}, one extra run)", ""]
        for heading, counts, top in (("hottest frames (self)", profile["self"], 10),
                                     ("innermost Sluice method on the stack", profile["sluice"], 8),
                                     ("self time by package", profile["packages"], 8),
                                     ("thread", profile["threads"], 5)):
            shares = sorted(counts.items(), key=lambda item: -item[1])[:top]
            lines += table([heading, "share"], [[f"`{name}`", f"{count / total:.0%}"] for name, count in shares])
            lines.append("")
    return lines


def render(document):
    started = datetime.datetime.fromisoformat(document["started"])
    took = (datetime.datetime.fromisoformat(document["finished"]) - started).seconds
    lines = [f"# Sluice vs dlt — benchmark results ({document['mode']} size)", "",
             f"Command: `{document['command']}`  ",
             f"Date: {started:%Y-%m-%d %H:%M} UTC, took {took // 60} min {took % 60} s  ",
             f"Runs per tool: {document['runs_per_tool']} (median wall time; tools alternate their order run by run; "
             f"each run starts from an empty destination); peak RSS is the maximum over the runs of the whole process "
             f"tree (children included, sampled every 20 ms from /proc).", ""]
    lines += ["## Machine", ""] + table(["fact", "value"], document["machine"]) + [""]
    lines += ["Numbers are noisy: a shared 2-core machine (other builds may run beside the benchmark). Compare the ratios "
              "within one run, not absolute times across runs.", ""]
    scenarios = outcomes(document)
    lines += ["## Results", ""] + table(HEADER, [scenario_row(outcome) for outcome in scenarios
                                                 if not BY_NAME[outcome.name].scales]) + [""]
    lines += ["dlt / Sluice above 1 means Sluice is faster; Sluice / DuckDB is how far Sluice is from DuckDB reading the "
              "same files into a table itself (1.0 is the limit; P1: `read_json`, which keeps the nested lists in the "
              "root table rather than normalizing them into child tables; P6: `read_csv`); RSS Sluice / dlt below 1 "
              "means Sluice is leaner. \"pending\" means today's Sluice refuses the pipeline (`sluice validate`), so "
              "there is no number.", ""]
    from .floors import floor_lines  # here: it builds on this module's cells
    lines += floor_lines(document)
    lines += scaling_lines(scenarios)
    lines += baseline_lines(document, scenarios)
    throughput = [throughput_row(outcome) for outcome in scenarios if BY_NAME[outcome.name].throughput]
    if throughput:
        lines += ["## Throughput of appends and merges", "",
                  "Rows per second: the scenario's rows (for a merge, the rows merged) over the median wall time, "
                  "process start included.", ""]
        lines += table(THROUGHPUT_HEADER, throughput) + [""]
    lines += ["## Rows per table", "",
              "Table names after dlt's naming (child tables `parent__field`); `_dlt_*` and `_sluice_*` tables left out. "
              "Expected counts (and a merge's sums after the merge) come from the generator. Every run is checked, the last "
              "run is shown.", ""]
    lines += table(["scenario", "table", "expected", "Sluice", "dlt", "DuckDB's reader"],
                   [row for outcome in scenarios for row in detail_rows(outcome)]) + [""]
    lines += startup_lines(document) + profile_lines(document)
    if document["notes"]:
        lines += ["## Notes", ""] + [f"- {note}" for note in document["notes"]] + [""]
    return "\n".join(lines)
