"""The scenarios as data: what each one loads from where into what, at which size per mode, what dlt runs for it,
and what the checks require. runner.py runs them; render.py and checks.py read their titles and requirements."""
import contextlib
import dataclasses
import os
import signal
import subprocess

from . import destinations
from .layout import BENCH, OUT, VENV_PYTHON
from .postgres import Postgres
from .process import CHILDREN
from .results import STARTUP

MEMORY_TARGET = 1 / 3  # peak RSS of Sluice at most a third of dlt's (P1: a fifth, its own memory_target)


@dataclasses.dataclass(frozen=True)
class Mode:
    runs: int  # per tool
    startup_tries: int
    output: str  # the Markdown report
    profile: bool  # the JFR profile of Sluice by default


MODES = {
    "full": Mode(3, 5, os.path.join(BENCH, "RESULTS.md"), True),
    "quick": Mode(3, 3, os.path.join(BENCH, "RESULTS-quick.md"), False),
    "tiny": Mode(1, 1, os.path.join(OUT, "RESULTS-tiny.md"), False),
}


@dataclasses.dataclass(frozen=True)
class Data:
    """A scenario's prepared input: the rows per table (and a merge's values) a correct load produces, and how dlt
    is told where the input is."""
    expected: dict
    merged: dict
    dlt_options: tuple
    folder: str = None  # generated files, when the input is files


# -- sources: each writes Sluice's source spec and prepares the input (a context: P3's server runs inside it)

@dataclasses.dataclass(frozen=True)
class Files:
    """Seeded files of bench/generate.py's `generator`, read by Sluice's filesystem source (one resource)."""
    generator: str
    resource: dict
    postgres = False  # needs the harness's PostgreSQL

    def folder(self, size, seed):
        return os.path.join(OUT, "data", f"{self.generator}-{size}-{seed}")  # where generate.py puts them

    def sluice(self, bench, size, part):
        folder = self.folder(size, bench.seed)
        return {"filesystem": {"base_path": os.path.join(folder, part) if part else folder,
                               "resources": [self.resource]}}

    @contextlib.contextmanager
    def prepare(self, bench, size):
        import generate
        folder, manifest = getattr(generate, f"generate_{self.generator}")(os.path.join(OUT, "data"), size, bench.seed)
        yield Data(manifest["tables"], manifest.get("merged", {}), ("--data", folder), folder)

    def engine(self, bench, size, data):
        """Where engine.py reads the files: `files`, and a merge's untimed `base` and its `key`."""
        glob = self.resource["glob"]
        if "primary_key" not in self.resource:
            return {"files": os.path.join(data.folder, glob)}
        return {"files": os.path.join(data.folder, "merge", glob), "base": os.path.join(data.folder, "base", glob),
                "key": self.resource["primary_key"][0]}


@dataclasses.dataclass(frozen=True)
class PostgresTable:
    """A table in the harness's PostgreSQL computed from the row number and the seed (Postgres.source_table)."""
    postgres = True

    @staticmethod
    def schema(size, seed):
        return f"p2_s{size}_{seed}"

    def sluice(self, bench, size, part):
        return {"sql_database": {
            "url": f"jdbc:postgresql://{bench.postgres.host}:{bench.postgres.port}/{Postgres.DATABASE}",
            "username": Postgres.USER, "password_secret": "bench-postgres", "schema": self.schema(size, bench.seed),
            "resources": [{"name": "rows", "table": "rows"}]}}

    @contextlib.contextmanager
    def prepare(self, bench, size):
        schema = bench.postgres.ensure().source_table(size, bench.seed)
        yield Data({"rows": size}, {}, ("--postgres", bench.postgres.url("postgresql+psycopg2"), "--schema", schema,
                                        "--table", "rows"))

    def engine(self, bench, size, data):
        return {"source": f'"{self.schema(size, bench.seed)}".rows'}


@dataclasses.dataclass(frozen=True)
class RestApi:
    """bench/rest_server.py serving bench/generate.py's P3 records in pages, the same server for both tools."""
    postgres = False

    def sluice(self, bench, size, part):
        return {"rest_api": {"base_url": f"http://127.0.0.1:{bench.api_port}/", "resources": [{
            "name": "records", "endpoint": {"path": "records", "params": {"page": "0"}, "data_selector": "data"},
            "paginator": {"page_number": {"page_param": "page", "base_page": 0, "total_path": "total_pages"}}}]}}

    @contextlib.contextmanager
    def prepare(self, bench, size):
        from generate import generate_p3
        folder, manifest = generate_p3(os.path.join(OUT, "data"), size, bench.seed)
        server = subprocess.Popen([VENV_PYTHON, os.path.join(BENCH, "rest_server.py"), folder, "--port",
                                   str(bench.api_port)], stdout=subprocess.PIPE, text=True, start_new_session=True)
        CHILDREN.add(server.pid)
        try:
            port = int(server.stdout.readline().split()[1])
            yield Data(manifest["tables"], {}, ("--api", f"http://127.0.0.1:{port}/"))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
            CHILDREN.discard(server.pid)

    @staticmethod
    def engine(bench, size, data):
        return {"host": "127.0.0.1", "port": bench.api_port, "path": "records"}


# -- destinations: Sluice's destination spec, dlt's option, the reset before each run, reading the rows back

class IntoDuckDB:
    """A DuckDB file SCENARIO.duckdb in the run's own folder (emptied before each run)."""
    postgres = False

    @staticmethod
    def sluice(bench, scenario):
        return {"duckdb": {"path": f"{scenario}.duckdb"}}

    @staticmethod
    def dlt_options(bench):
        return ()

    @staticmethod
    def reset(bench):
        pass  # the run's folder, and with it the file, is new

    @staticmethod
    def read_back(bench, scenario, folder, measurement, merge):
        path = os.path.join(folder, f"{scenario}.duckdb")
        measurement.counts = destinations.duckdb_counts(path)
        if merge:
            measurement.merged = destinations.duckdb_merged(path)
        return measurement


class IntoPostgres:
    """The dataset `bench` in the harness's PostgreSQL, dropped (with its staging schema) before each run."""
    postgres = True

    @staticmethod
    def sluice(bench, scenario):
        return {"postgres": {"host": bench.postgres.host, "port": bench.postgres.port, "database": Postgres.DATABASE,
                             "username": Postgres.USER, "password_secret": "bench-postgres"}}

    @staticmethod
    def dlt_options(bench):
        return ("--postgres", bench.postgres.url())

    @staticmethod
    def reset(bench):
        bench.postgres.drop_dataset()

    @staticmethod
    def read_back(bench, scenario, folder, measurement, merge):
        measurement.counts = bench.postgres.counts()
        if merge:
            measurement.merged = destinations.postgres_merged(bench.postgres)
        return measurement


@dataclasses.dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    unit: str  # of its size
    sizes: dict  # mode → size
    source: object  # Files, PostgresTable or RestApi
    destination: object  # IntoDuckDB or IntoPostgres
    # An untimed base load (the generator's base/ files), then the timed merge of its merge/ files; the merged values
    # are checked beside the rows.
    merge: bool = False
    # ("dlt", at least × faster) and/or ("duckdb", at most × DuckDB's time); empty: none set
    targets: tuple = ()
    memory_target: float = MEMORY_TARGET  # the most Sluice's peak RSS may be, as a share of dlt's
    throughput: bool = False  # an append or merge: the report gives its rows per second
    # DuckDB's own reader of the same files ("read_csv" or "read_json") runs too, in a process of its own: the limit.
    duckdb_reader: str = None
    # The native engine's own least work on the same input (a work of engine.py), run beside the tools: with Sluice's
    # fixed cost, the floor of its targets (floors.py). P6 takes DuckDB's reader as its own; P1's reader leaves the
    # nested lists in the root table, so its engine builds the four tables instead.
    engine: str = None
    # The tool ("engine" or "duckdb") whose work is the work Sluice has DuckDB do inside its own process (a CSV file
    # read into a table, a merge of CSV files): the least memory that work takes is part of the memory floor. P1's
    # engine builds its tables from DuckDB's read_json, not from staged CSV as Sluice does, and took more memory than
    # all of Sluice: no lower bound. PostgreSQL works in its own server process.
    memory_floor: str = None
    must_run: tuple = ("dlt",)  # the tools the checks require to have run it; Sluice may otherwise be pending
    tiny: bool = True  # in the tiny smoke run (`make test`)
    # Only Sluice runs it: the scaling scenario, which the report sets beside the scenario it is `scales` × the size of.
    scales: tuple = None  # (the scenario's name, the factor)

    @property
    def tools(self):
        if self.scales:
            return ("sluice",)
        return ("sluice", "dlt") + (("duckdb",) if self.duckdb_reader else ()) + (("engine",) if self.engine else ())

    @property
    def required(self):
        """The tools the checks require to have run it: must_run and the engine's own work."""
        return self.must_run + (("engine",) if self.engine else ())

    def expected_of(self, tool, expected):
        """The rows per table a correct run of the tool loads: DuckDB's read_json keeps nested lists in the root
        table's LIST and STRUCT columns rather than normalizing them into child tables, so it loads only the root."""
        if tool == "duckdb" and self.duckdb_reader == "read_json":
            return {self.source.resource["name"]: expected[self.source.resource["name"]]}
        return expected

    @property
    def postgres(self):
        return self.source.postgres or self.destination.postgres

    @property
    def parts(self):
        """The pipeline parts, timed last: "base" and "merge" of a merge; else the one part (None)."""
        return ("base", "merge") if self.merge else (None,)

    def dlt_name(self, part):
        """The scenario argument of bench/dlt_pipelines.py."""
        return f"{self.name}-{part}" if part else self.name


def sizes(full, quick, tiny):
    return {"full": full, "quick": quick, "tiny": tiny}


ACCOUNTS = {"name": "accounts", "glob": "*.csv", "write_disposition": "MERGE", "primary_key": ["id"]}
FLAT_CSV = Files("p6", {"name": "rows", "glob": "*.csv"})
MERGE_CSV = Files("p4", ACCOUNTS)
NESTED_JSONL = Files("p1", {"name": "orders", "glob": "*.jsonl"})

# P2, P3, P7 and P8 need PostgreSQL, which the test suite starts anyway.
SCENARIOS = [
    Scenario("p1", "P1 nested JSONL → DuckDB", "records", sizes(200_000, 20_000, 2_000), NESTED_JSONL, IntoDuckDB,
             targets=(("dlt", 15.0), ("duckdb", 1.5)), memory_target=1 / 5, duckdb_reader="read_json",
             engine="duckdb_nested", must_run=("dlt", "duckdb")),
    # How cost grows: P1 at 10× its size, Sluice only (dlt would take minutes a run); out of the tiny smoke run.
    Scenario("p1x10", "P1 ×10 nested JSONL → DuckDB", "records", sizes(2_000_000, 200_000, 20_000), NESTED_JSONL,
             IntoDuckDB, must_run=("sluice",), tiny=False, scales=("p1", 10)),
    Scenario("p2", "P2 PostgreSQL table → DuckDB", "rows", sizes(1_000_000, 100_000, 2_000), PostgresTable(), IntoDuckDB,
             targets=(("dlt", 3.0),), engine="postgres_to_duckdb", memory_floor="engine"),
    Scenario("p3", "P3 paged REST API → PostgreSQL", "records", sizes(100_000, 10_000, 2_000), RestApi(), IntoPostgres,
             targets=(("dlt", 7.0),), engine="rest_to_postgres"),
    Scenario("p4", "P4 merge, 50% updates → DuckDB", "rows merged", sizes(1_000_000, 100_000, 2_000), MERGE_CSV,
             IntoDuckDB, merge=True, targets=(("dlt", 3.0),), throughput=True, engine="duckdb_merge", memory_floor="engine"),
    Scenario("p6", "P6 flat CSV → DuckDB", "rows", sizes(1_000_000, 100_000, 2_000), FLAT_CSV, IntoDuckDB,
             targets=(("dlt", 2.0), ("duckdb", 1.5)), throughput=True, duckdb_reader="read_csv", memory_floor="duckdb",
             must_run=("sluice", "dlt", "duckdb")),
    Scenario("p7", "P7 flat CSV append → PostgreSQL", "rows", sizes(1_000_000, 100_000, 2_000), FLAT_CSV,
             IntoPostgres, targets=(("dlt", 3.0),), throughput=True, must_run=("sluice", "dlt"), engine="postgres_copy"),
    Scenario("p8", "P8 merge, 50% updates → PostgreSQL", "rows merged", sizes(1_000_000, 100_000, 2_000), MERGE_CSV,
             IntoPostgres, merge=True, targets=(("dlt", 3.0),), throughput=True, must_run=("sluice", "dlt"),
             engine="postgres_merge"),
]
BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
NAMES = [scenario.name for scenario in SCENARIOS] + [STARTUP]
TINY_NAMES = [scenario.name for scenario in SCENARIOS if scenario.tiny] + [STARTUP]
