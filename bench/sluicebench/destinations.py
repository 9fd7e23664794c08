"""Reading what a tool loaded back from the destination: rows per table, and a merge's values."""
import os

from .layout import DATASET


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

