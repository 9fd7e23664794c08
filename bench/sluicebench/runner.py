"""Runs the scenarios: every tool on the same prepared input, alternating their order run by run, each run from an
empty destination; a record per run (results.py)."""
import contextlib
import os
import shutil

from . import results
from .layout import OUT
from .postgres import Postgres
from .process import Failed, Pending, fresh_dir, free_port
from .results import BESIDE_SCALED
from .scenarios import BY_NAME
from .tools import Sluice, dlt_run, engine_run, least_memory, write_pipeline


def alternate(actions, tries, describe):
    """Runs each action (label → action(index)) `tries` times, the order reversed every other try: {label: [results]},
    or the Pending or Failed that stopped that action."""
    outcomes = {label: [] for label in actions}
    for index in range(tries):
        for label in (list(actions) if index % 2 == 0 else list(reversed(actions))):
            if isinstance(outcomes[label], Exception):
                continue
            print(f"bench: {describe(label)} {index + 1}/{tries}", flush=True)
            try:
                outcomes[label].append(actions[label](index))
            except (Pending, Failed) as problem:
                outcomes[label] = problem
    return outcomes


class Bench:
    def __init__(self, mode, runs, seed, baseline=None):
        self.mode, self.runs, self.seed = mode, runs, seed
        self.baseline = baseline  # another build's quarkus-app folder, run as the tool "baseline"
        self.work = os.path.join(OUT, f"work-{mode}")
        self.logs = fresh_dir(os.path.join(OUT, "logs", mode))
        self.postgres = Postgres()
        self.notes = []
        self.sluice = Sluice(self.work, self.notes)
        self.api_port = free_port()
        self.pipelines = {}  # scenario → {part: Sluice's pipeline file}
        self.selected = set()  # the names of the scenarios this run measures
        shutil.rmtree(os.path.join(OUT, "pipelines"), ignore_errors=True)

    def log(self, scenario, tool, index):
        return os.path.join(self.logs, f"{scenario}-{tool}-{index}.log")

    def write_pipelines(self, scenarios):
        """Sluice's pipeline file for every part of every scenario, then one `sluice validate` of them all."""
        self.selected = {scenario.name for scenario in scenarios}
        for scenario in scenarios:
            if scenario.postgres:
                self.postgres.ensure()
            size = scenario.sizes[self.mode]
            self.pipelines[scenario.name] = {
                part: write_pipeline(scenario.dlt_name(part), scenario.source.sluice(self, size, part),
                                     scenario.destination.sluice(self, scenario.name))
                for part in scenario.parts}
        self.sluice.validate_all()

    def run(self, scenario):
        """The scenario's expectations and records: {"name", "size", "expected", "merged"}, [record, …]."""
        size = scenario.sizes[self.mode]
        entry = {"name": scenario.name, "size": size, "expected": {}, "merged": {}}
        try:
            if scenario.postgres:
                self.postgres.ensure()
            with scenario.source.prepare(self, size) as data, self.beside(scenario) as beside:
                entry.update(expected=data.expected, merged=data.merged)
                outcomes = alternate({**self.tools(scenario, data), **beside}, self.runs,
                                     lambda tool: f"{scenario.name} {tool} run")
        except Pending as pending:  # neither tool can run it
            outcomes = {"sluice": pending, "dlt": pending}
            self.notes.append(f"{scenario.name.upper()}: pending: {pending}")
        except Exception as problem:  # a broken set-up fails this scenario (and the checks), not the whole report
            failed = Failed(f"set-up failed: {type(problem).__name__}: {str(problem).strip()[:200]}")
            outcomes = {"sluice": failed, "dlt": failed}
            self.notes.append(f"{scenario.name.upper()}: {failed}")
        finally:
            if scenario.destination.postgres and self.postgres.port:
                scenario.destination.reset(self)
        records = []
        for tool, runs in outcomes.items():
            # the runs beside a scaling scenario are its base scenario's, at that scenario's size
            of, of_size = (scenario.scales[0], BY_NAME[scenario.scales[0]].sizes[self.mode]) if tool == BESIDE_SCALED \
                else (scenario.name, size)
            if isinstance(runs, Exception):
                records.append(results.problem_record(of, tool, runs))
            else:
                records += [results.run_record(of, tool, index, of_size, run) for index, run in enumerate(runs)]
        return entry, records

    @contextlib.contextmanager
    def beside(self, scenario):
        """{BESIDE_SCALED: action(index)} for a scaling scenario whose base scenario this run measures too, else {}."""
        base = BY_NAME[scenario.scales[0]] if scenario.scales else None
        if base is None or base.name not in self.selected:
            yield {}
            return
        with base.source.prepare(self, base.sizes[self.mode]):
            yield {BESIDE_SCALED: self.sluice_runs(base, BESIDE_SCALED)}

    def sluice_runs(self, scenario, tool, app=None):
        """action(index): one run of Sluice (the build in `app`, else this one) on the scenario's prepared input."""
        name, destination = scenario.name, scenario.destination
        *untimed, timed = scenario.parts

        def one_run(index):
            destination.reset(self)
            data_dir = fresh_dir(os.path.join(self.work, f"{tool}-{name}"))
            for part in untimed:
                self.sluice.run(self.pipelines[name][part], data_dir, self.log(name, f"{tool}-{part}", index), app=app)
            result = self.sluice.run(self.pipelines[name][timed], data_dir, self.log(name, tool, index), app=app)
            return destination.read_back(self, name, data_dir, result, scenario.merge)
        return one_run

    def tools(self, scenario, data):
        """tool → action(index) measuring one run of it."""
        name, destination, size = scenario.name, scenario.destination, scenario.sizes[self.mode]
        *untimed, timed = scenario.parts

        def dlt(index):
            destination.reset(self)
            work = fresh_dir(os.path.join(self.work, f"dlt-{name}"))
            options = (*data.dlt_options, *destination.dlt_options(self))
            for part in untimed:
                dlt_run(scenario.dlt_name(part), work, self.log(name, f"dlt-{part}", index), *options)
            result = dlt_run(scenario.dlt_name(timed), work, self.log(name, "dlt", index), *options)
            return destination.read_back(self, name, work, result, scenario.merge)

        def duckdb(index):
            # The limit: DuckDB's own reader (read_csv, read_json) into a table, in a process of its own like the others;
            # the read itself, timed inside, is the engine's work of the floor.
            work = fresh_dir(os.path.join(self.work, f"duckdb-{name}"))
            task = {"work": "duckdb_read", "database": os.path.join(work, f"{name}.duckdb"),
                    "files": os.path.join(data.folder, scenario.source.resource["glob"]),
                    "table": scenario.source.resource["name"], "reader": scenario.duckdb_reader}
            return with_least_memory(task, "duckdb", index, work, engine_run(task, self.log(name, "duckdb", index), work))

        def engine(index):
            # The native engine's own least work on the same input, from an empty destination (engine.py).
            destination.reset(self)
            work = fresh_dir(os.path.join(self.work, f"engine-{name}"))
            task = {"work": scenario.engine, "table": next(iter(data.expected)),
                    "database": os.path.join(work, f"{name}.duckdb"), "staged": os.path.join(work, "staged.csv"),
                    **({"postgres": self.postgres.settings()} if scenario.postgres else {}),
                    **scenario.source.engine(self, size, data)}
            return with_least_memory(task, "engine", index, work, engine_run(task, self.log(name, "engine", index), work))

        def with_least_memory(task, tool, index, work, result):
            # The engine's rows are read back from the timed run; on the first, the least memory it works in is found
            # afterwards, in the same folder, when its memory is part of the floor (Scenario.memory_floor).
            result = destination.read_back(self, name, work, result, scenario.merge)
            if index == 0 and tool == scenario.memory_floor:
                destination.reset(self)
                result.least_memory = least_memory(task, lambda limit: self.log(name, f"{tool}-memory-{limit}", index), work)
            return result

        every = {"sluice": self.sluice_runs(scenario, "sluice"), "dlt": dlt, "duckdb": duckdb, "engine": engine}
        tools = {tool: every[tool] for tool in scenario.tools}
        if self.baseline:
            tools["baseline"] = self.sluice_runs(scenario, "baseline", self.baseline)
        try:
            self.sluice.validate(name, self.pipelines[name][timed])
        except Pending as pending:
            def refused(index, reason=pending):
                raise reason
            tools["sluice"] = refused
            tools.pop("baseline", None)
        return tools
