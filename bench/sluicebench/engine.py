"""The native engines' own least work for a scenario (DuckDB's readers, a merge in DuckDB, PostgreSQL's COPY), run as
a process of its own from the bench venv and timed inside it: the part of a scenario no loader on top of these
engines can skip. Prints each timed part as `  stage NAME SECONDSs` (the lines Sluice prints; tools.STAGE reads
them) and `work SECONDSs`, their sum, and `memory BYTES`: the most the process's peak RSS rose above its RSS at the
start of a timed part, during that part (the work's own memory, as Linux counts it). With "memory_limit" in the task,
DuckDB works under that limit on one thread and reads CSV in small buffers, the least memory a loader could give it.
Standard library, duckdb and psycopg2 only, imported when used, so that the reader's process starts as it did before.

Usage: python engine.py JSON   (the task: {"work": ..., its arguments}; see WORKS)
"""
import json
import sys
import time

DATASET = "bench"


def status(field):
    """A field of /proc/self/status in bytes (VmRSS, VmHWM)."""
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) * 1024 for line in handle if line.startswith(field + ":"))


class Timer:
    """The timed parts of the work, in order, and the most memory one of them took."""

    def __init__(self):
        self.parts = {}
        self.memory = 0

    def part(self, name, action):
        before = status("VmRSS")
        with open("/proc/self/clear_refs", "w") as handle:  # "5" resets the peak RSS to the RSS now
            handle.write("5")
        start = time.perf_counter()
        result = action()
        self.parts[name] = self.parts.get(name, 0) + time.perf_counter() - start
        self.memory = max(self.memory, status("VmHWM") - before)
        return result


def connect(task):
    """A DuckDB connection to the task's database, under its memory limit when it has one."""
    import duckdb
    connection = duckdb.connect(task["database"])
    if "memory_limit" in task:
        connection.execute(f"SET memory_limit = '{task['memory_limit']}'")
        connection.execute("SET threads = 1")
    return connection


def reader(task, function):
    """A call of DuckDB's reader of the files at the query's first parameter: under a memory limit, in small buffers
    (the generator's lines are short)."""
    if "memory_limit" not in task:
        return f"{function}(?)"
    return f"{function}(?, {'buffer_size = 1048576, max_line_size = 1048576' if function == 'read_csv' else 'maximum_object_size = 1048576'})"


def duckdb_read(task, timer):
    """P1, P6: DuckDB's own reader (read_json, read_csv) of the files into a table."""
    connection = connect(task)
    connection.execute(f"CREATE SCHEMA {DATASET}")
    timer.part("read", lambda: connection.execute(
        f"CREATE TABLE {DATASET}.{task['table']} AS SELECT * FROM {reader(task, task['reader'])}", [task["files"]]))
    connection.close()


# P1's four tables as DuckDB builds them from its own read of the orders: the root with its nested object's fields as
# columns, and a table for each nested list, each row keyed to its parent by the parent's key and its place in the list
# (less than the ids a loader writes, so still a lower bound).
NESTED_ORDERS = [
    ("orders", "SELECT id, created_at, status, paid, total, customer.id AS customer__id, customer.name AS customer__name,"
               " customer.address.city AS customer__address__city, customer.address.zip AS customer__address__zip FROM orders_read"),
    ("orders__tags", "SELECT id AS _parent_id, generate_subscripts(tags, 1) AS _list_idx, unnest(tags) AS value FROM orders_read"),
    ("orders__items", "SELECT _order_id, _list_idx, item.line, item.sku, item.quantity, item.price, item.category FROM items"),
    ("orders__items__discounts", "SELECT _order_id, _list_idx AS _item_idx, generate_subscripts(item.discounts, 1) AS _list_idx,"
                                 " unnest(item.discounts, recursive := true) FROM items"),
]


def duckdb_nested(task, timer):
    """P1: DuckDB reading the JSONL files once, then building from that read the same four tables a loader normalizes
    them into (NESTED_ORDERS), all in one transaction."""
    connection = connect(task)
    connection.execute(f"CREATE SCHEMA {DATASET}")
    connection.begin()
    timer.part("read", lambda: connection.execute(f"CREATE TEMP TABLE orders_read AS SELECT * FROM {reader(task, 'read_json')}", [task["files"]]))

    def normalize():
        connection.execute("CREATE TEMP TABLE items AS SELECT id AS _order_id, generate_subscripts(items, 1) AS _list_idx,"
                           " unnest(items) AS item FROM orders_read")
        for table, query in NESTED_ORDERS:
            connection.execute(f"CREATE TABLE {DATASET}.{table} AS {query}")
        connection.commit()
    timer.part("normalize", normalize)
    connection.close()


def whole_range(table, key, files):
    """`key BETWEEN first AND last` when the files' keys are every integer of one range (found untimed, as if the
    loader knew it free), by which a merge deletes the stored rows of the merging keys without a join, as Sluice does
    when its scan shows it; else None."""
    import duckdb
    with duckdb.connect() as connection:
        first, last, rows, distinct = connection.execute(
            f"SELECT min({key}), max({key}), count({key}), count(DISTINCT {key}) FROM read_csv(?)", [files]).fetchone()
    if isinstance(first, int) and rows == distinct and last - first + 1 == rows:
        return f"{table}.{key} BETWEEN {first} AND {last}"
    return None


def duckdb_merge(task, timer):
    """P4: the base files loaded untimed, then timed: the merge files read and merged by key (delete-insert, one
    transaction), the work of a merge with no loader on top. When the files' keys are every integer of one range, the
    stored rows of that range are deleted first and the files read straight into the table, as Sluice does."""
    connection = connect(task)
    connection.execute(f"CREATE SCHEMA {DATASET}")
    connection.execute(f"CREATE TABLE {DATASET}.{task['table']} AS SELECT * FROM {reader(task, 'read_csv')}", [task["base"]])
    key, table = task["key"], f"{DATASET}.{task['table']}"
    whole = whole_range(table, key, task["files"])

    def merge():
        connection.begin()
        if whole:
            connection.execute(f"DELETE FROM {table} WHERE {whole}")
            connection.execute(f"INSERT INTO {table} SELECT * FROM {reader(task, 'read_csv')}", [task["files"]])
        else:
            connection.execute(f"CREATE TEMP TABLE merging AS SELECT * FROM {reader(task, 'read_csv')}", [task["files"]])
            connection.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM merging)")
            connection.execute(f"INSERT INTO {table} SELECT * FROM merging")
        connection.commit()
    timer.part("merge", merge)
    connection.close()


# DuckDB's type of a sniffed CSV column → PostgreSQL's (anything else stays text)
POSTGRES_TYPES = {"BIGINT": "bigint", "INTEGER": "integer", "SMALLINT": "smallint", "DOUBLE": "double precision",
                  "FLOAT": "real", "BOOLEAN": "boolean", "DATE": "date", "TIMESTAMP": "timestamp",
                  "TIMESTAMP WITH TIME ZONE": "timestamptz", "VARCHAR": "text"}


def csv_columns(files):
    """The columns of CSV files as PostgreSQL declares them, from DuckDB's sniffer (untimed: a loader knows them)."""
    import duckdb
    with duckdb.connect() as connection:
        described = connection.execute("DESCRIBE SELECT * FROM read_csv(?)", [files]).fetchall()
    return ", ".join(f'"{name}" {POSTGRES_TYPES.get(kind, "text")}' for name, kind, *_ in described)


def postgres(task):
    import psycopg2
    connection = psycopg2.connect(**task["postgres"])
    connection.autocommit = True
    return connection


def copy_files(cursor, table, files):
    import glob
    for path in sorted(glob.glob(files)):
        with open(path) as handle:
            cursor.copy_expert(f"COPY {table} FROM STDIN (FORMAT csv, HEADER)", handle)


def postgres_copy(task, timer):
    """P7: COPY of the CSV files into a new table in one transaction."""
    columns = csv_columns(task["files"])
    with postgres(task) as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {DATASET}; CREATE TABLE {DATASET}.{task['table']} ({columns})")

        def copy():
            cursor.execute("BEGIN")
            copy_files(cursor, f"{DATASET}.{task['table']}", task["files"])
            cursor.execute("COMMIT")
        timer.part("copy", copy)


def postgres_merge(task, timer):
    """P8: the base files COPY'd untimed, then timed: the merge files COPY'd into a staging table and merged by key
    into the base table (delete-insert), in one transaction. When the files' keys are every integer of one range, the
    stored rows of that range are deleted first and the files COPY'd straight into the table, as Sluice does."""
    columns, table, key = csv_columns(task["base"]), f"{DATASET}.{task['table']}", task["key"]
    with postgres(task) as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {DATASET}; CREATE TABLE {table} ({columns})")
        copy_files(cursor, table, task["base"])
        cursor.execute(f"ANALYZE {table}")
        whole = whole_range(table, key, task["files"])

        def merge():
            if whole:
                cursor.execute(f"BEGIN; DELETE FROM {table} WHERE {whole}")
                copy_files(cursor, table, task["files"])
                cursor.execute("COMMIT")
                return
            cursor.execute(f"BEGIN; CREATE TEMP TABLE merging (LIKE {table}) ON COMMIT DROP")
            copy_files(cursor, "merging", task["files"])
            cursor.execute(f"DELETE FROM {table} USING merging WHERE {table}.{key} = merging.{key};"
                           f" INSERT INTO {table} SELECT * FROM merging; COMMIT")
        timer.part("merge", merge)


def postgres_to_duckdb(task, timer):
    """P2: the source table out of PostgreSQL in its fastest bulk form (COPY … TO STDOUT as CSV, into a file), then
    DuckDB reading that file into a table: two parts, one after the other, as a durable load package between them
    makes them for Sluice."""
    with postgres(task) as connection, connection.cursor() as cursor, open(task["staged"], "w") as staged:
        timer.part("extract", lambda: cursor.copy_expert(
            f"COPY (SELECT * FROM {task['source']}) TO STDOUT (FORMAT csv, HEADER)", staged))
    connection = connect(task)
    connection.execute(f"CREATE SCHEMA {DATASET}")
    timer.part("load", lambda: connection.execute(
        f"CREATE TABLE {DATASET}.{task['table']} AS SELECT * FROM {reader(task, 'read_csv')}", [task["staged"]]))
    connection.close()


def flattened(record, prefix=""):
    """A record's values with nested objects' fields as columns `parent__field`, as the loaders name them."""
    values = {}
    for name, value in record.items():
        if isinstance(value, dict):
            values.update(flattened(value, f"{prefix}{name}__"))
        else:
            values[prefix + name] = value
    return values


POSTGRES_OF_PYTHON = {bool: "boolean", int: "bigint", float: "double precision", str: "text"}


def rest_to_postgres(task, timer):
    """P3: every page of the REST API through one keep-alive connection (page-number paging, as the scenario's
    paginator), then the records COPY'd into PostgreSQL as CSV. Only the two engines' parts are timed: the pages'
    bytes coming from the API (the first page parsed for the number of pages) and the COPY. Parsing the other pages,
    flattening the records and writing their CSV run in Python between the two, untimed: a lower bound must not count
    a loader's own work at Python's speed."""
    import csv
    import http.client
    import io

    def fetch():
        connection, bodies, page, pages = http.client.HTTPConnection(task["host"], task["port"]), [], 0, 1
        while page < pages:
            connection.request("GET", f"/{task['path']}?page={page}")
            response = connection.getresponse()
            if response.status != 200:
                raise SystemExit(f"page {page}: HTTP {response.status}")
            bodies.append(response.read())
            if page == 0:
                pages = json.loads(bodies[0])["total_pages"]
            page += 1
        connection.close()
        return bodies
    bodies = timer.part("fetch", fetch)

    rows = [flattened(record) for body in bodies for record in json.loads(body)["data"]]
    names = list(rows[0])
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(names)
    writer.writerows([row.get(name) for name in names] for row in rows)
    text.seek(0)
    columns = ", ".join(f'"{name}" {POSTGRES_OF_PYTHON.get(type(rows[0][name]), "text")}' for name in names)

    def load():
        with postgres(task) as connection, connection.cursor() as cursor:
            cursor.execute(f"BEGIN; CREATE SCHEMA {DATASET}; CREATE TABLE {DATASET}.{task['table']} ({columns})")
            cursor.copy_expert(f"COPY {DATASET}.{task['table']} FROM STDIN (FORMAT csv, HEADER)", text)
            cursor.execute("COMMIT")
    timer.part("copy", load)


WORKS = {"duckdb_read": duckdb_read, "duckdb_nested": duckdb_nested, "duckdb_merge": duckdb_merge, "postgres_copy": postgres_copy,
         "postgres_merge": postgres_merge, "postgres_to_duckdb": postgres_to_duckdb,
         "rest_to_postgres": rest_to_postgres}


def main(argv):
    task = json.loads(argv[0])
    timer = Timer()
    WORKS[task["work"]](task, timer)
    for name, seconds in timer.parts.items():
        print(f"  stage {name} {seconds:.3f}s")
    print(f"work {sum(timer.parts.values()):.3f}s")
    print(f"memory {timer.memory}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
