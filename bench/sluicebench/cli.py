"""bench/run.py's command line: run the benchmark (results JSON, then the Markdown from it, then the checks on it),
or render / check a results file again without running anything."""
import argparse
import datetime
import os
import shutil
import signal
import sys

from . import checks, render, results
from .layout import APP, BENCH, OUT, aot_cache
from .scenarios import BY_NAME, MODES, NAMES, TINY_NAMES


def parse_run(argv):
    parser = argparse.ArgumentParser(prog="bench/run.py", description="Sluice against dlt on the same data and machine.",
                                     epilog="bench/run.py render|check RESULTS.json: the Markdown or the checks of a "
                                            "results file again, without running anything.")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", dest="size", action="store_const", const="quick", help="small sizes, about 4 min")
    size.add_argument("--tiny", dest="size", action="store_const", const="tiny", help="smoke test sizes, one run")
    parser.set_defaults(size="full")
    parser.add_argument("--scenarios", help="comma-separated: " + ",".join(NAMES))
    parser.add_argument("--runs", type=int, help="runs per tool (default: 3, tiny 1)")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--output", help="report file (default bench/RESULTS.md, bench/RESULTS-quick.md, "
                                         "bench/out/RESULTS-tiny.md); the results JSON is bench/out/results-SIZE.json")
    parser.add_argument("--baseline", metavar="APP_DIR",
                        help="another build of Sluice (its target/quarkus-app folder, e.g. built from an earlier "
                             "commit) run beside this one on the same scenarios: the report compares the two")
    parser.add_argument("--no-profile", dest="profile", action="store_false", help="skip the JFR profile of Sluice")
    parser.add_argument("--profile", dest="profile_quick", action="store_true",
                        help="profile Sluice with JFR also at --quick/--tiny sizes (full size always does)")
    args = parser.parse_args(argv)
    args.scenarios = args.scenarios.split(",") if args.scenarios else (TINY_NAMES if args.size == "tiny" else NAMES)
    unknown = set(args.scenarios) - set(NAMES)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    mode = MODES[args.size]
    args.output = args.output or mode.output
    args.profile = args.profile if mode.profile else args.profile_quick
    if args.baseline:
        args.baseline = os.path.abspath(args.baseline)
        if not os.path.exists(os.path.join(args.baseline, "quarkus-run.jar")):
            parser.error(f"--baseline {args.baseline}: no quarkus-run.jar there")
    return args


def run(script, argv):
    from .venv import ensure_venv
    args = parse_run(argv)
    ensure_venv(script, argv)
    from .process import stop_children
    signal.signal(signal.SIGTERM, stop_children)
    signal.signal(signal.SIGINT, stop_children)
    if not os.path.exists(os.path.join(APP, "quarkus-run.jar")):
        raise SystemExit("bench: build Sluice first (make build)")
    sys.path.insert(0, BENCH)  # generate.py
    from . import machine, profile, runner, startup
    started = datetime.datetime.now(datetime.timezone.utc)
    mode = MODES[args.size]
    if args.baseline and aot_cache() and not aot_cache(args.baseline):
        startup.train_aot_cache(args.baseline)
    bench = runner.Bench(args.size, args.runs or mode.runs, args.seed, args.baseline)
    selected = [BY_NAME[name] for name in args.scenarios if name in BY_NAME]
    bench.write_pipelines(selected)
    entries, records, profiles = [], [], {}
    fixed_cost = startup.FixedCost(bench, bench.runs, len(args.scenarios))  # the floor under every target
    for position, name in enumerate(args.scenarios):
        fixed_cost.before(position)
        if name == results.STARTUP:
            entry, runs = startup.startup(bench, args.runs or mode.startup_tries)
        else:
            entry, runs = bench.run(BY_NAME[name])
        entries.append(entry)
        records += runs
        sluice_ran = any(record["tool"] == "sluice" and record["status"] == "ok" for record in runs)
        if args.profile and name in ("p1", "p6") and sluice_ran:
            try:
                profiles[name] = profile.profile(bench, name)
            except (runner.Failed, ValueError, KeyError) as problem:
                bench.notes.append(f"{name.upper()} profile failed: {problem}")
    entry, runs = fixed_cost.results()
    entries.insert(0, entry)
    records = runs + records
    shutil.rmtree(bench.work, ignore_errors=True)
    document = {"mode": args.size, "command": " ".join(["python3 bench/run.py", *argv]), "started": started.isoformat(),
                "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(), "runs_per_tool": bench.runs,
                "seed": args.seed, "machine": machine.facts(bench.postgres), "scenarios": entries, "runs": records,
                "profiles": profiles, "notes": bench.notes, "baseline": args.baseline}
    path = os.path.join(OUT, f"results-{args.size}.json")
    results.write(document, path)
    return report(document, path, args.output, [results.FIXED_COST, *args.scenarios])


def report(document, path, output, scenarios):
    """Writes the Markdown of the document, prints it, then checks the document: the exit status."""
    markdown = render.render(document)
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    with open(output, "w") as handle:
        handle.write(markdown)
    print(markdown)
    print(f"bench: results {os.path.relpath(path)}, report {os.path.relpath(output)}")
    return print_checks(document, scenarios)


def print_checks(document, scenarios):
    passed, failures = checks.check(document, scenarios)
    for failure in failures:
        print(f"bench check failed: {failure}")
    print(f"bench-smoke: {passed} passed, {len(failures)} failed")
    return 1 if failures else 0


def again(argv):
    """render RESULTS.json [--output FILE.md] | check RESULTS.json: from a results file, no venv needed."""
    parser = argparse.ArgumentParser(prog="bench/run.py")
    parser.add_argument("action", choices=["render", "check"])
    parser.add_argument("results", help="a results file, e.g. bench/out/results-tiny.json")
    parser.add_argument("--output", help="render: the Markdown file (default: the one of the results' size)")
    args = parser.parse_args(argv)
    document = results.load(args.results)
    scenarios = [entry["name"] for entry in document["scenarios"]]
    if args.action == "check":
        return print_checks(document, scenarios)
    return report(document, args.results, args.output or MODES[document["mode"]].output, scenarios)


def main(script, argv):
    return again(argv) if argv[:1] in (["render"], ["check"]) else run(script, argv)
