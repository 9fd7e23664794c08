"""The dlt side of each scenario, in dlt's fastest documented configuration for it.

Usage: python bench/dlt_pipelines.py SCENARIO --work DIR [options]; run by bench/run.py under bench/.venv.
The pipeline's state and its load packages go under --work (never $HOME); the DuckDB destination is
WORK/SCENARIO.duckdb, dataset `bench`, like Sluice's. Prints the rows per table that dlt reports.

Configuration that makes dlt faster, set by run.py through the environment (dlt's documented knobs):
NORMALIZE__WORKERS (one process per core), EXTRACT__DATA_WRITER__FILE_MAX_ITEMS (extracted files are split so
the normalize workers have files to share), parquet load files into DuckDB, arrow tables from DuckDB's CSV
reader (no per-row Python normalize), connectorx for SQL, CSV + COPY into Postgres (P3, P7, P8).
"""
import argparse
import os
import sys

import dlt
from dlt.sources.filesystem import filesystem, read_csv_duckdb, read_jsonl


def pipeline(name, work, destination):
    return dlt.pipeline(pipeline_name=name, pipelines_dir=os.path.join(work, "pipelines"), destination=destination,
                        dataset_name="bench", progress=None)


def duckdb_destination(work, name):
    return dlt.destinations.duckdb(os.path.join(work, f"{name}.duckdb"))


def postgres_destination(url):
    return dlt.destinations.postgres(url)


def csv_files(folder, glob, resource):
    """CSV through DuckDB's reader into arrow tables: dlt writes them to parquet without a Python normalize."""
    return (filesystem(bucket_url=folder, file_glob=glob)
            | read_csv_duckdb(chunk_size=100_000, use_pyarrow=True)).with_name(resource)


def report(pipe):
    counts = pipe.last_trace.last_normalize_info.row_counts if pipe.last_trace else {}
    for table, rows in sorted(counts.items()):
        print(f"rows {table} {rows}")


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["p1", "p2", "p3", "p4-base", "p4-merge", "p6", "p7", "p8-base", "p8-merge",
                                             "tiny"])
    parser.add_argument("--work", required=True)
    parser.add_argument("--data", help="folder of input files (p1, p4, p6, p7, p8, tiny)")
    parser.add_argument("--glob", default="*.csv")
    parser.add_argument("--postgres", help="SQLAlchemy URL of the Postgres source (p2) or destination (p3, p7, p8)")
    parser.add_argument("--schema", help="source schema (p2)")
    parser.add_argument("--table", default="rows", help="source table (p2)")
    parser.add_argument("--api", help="first page URL of the REST API (p3)")
    args = parser.parse_args(argv)
    os.makedirs(args.work, exist_ok=True)
    scenario = args.scenario

    if scenario == "p1":
        # Python dicts must go through dlt's normalizer (nested lists → child tables); parallel workers help.
        data = (filesystem(bucket_url=args.data, file_glob="*.jsonl") | read_jsonl(chunksize=10_000)).with_name("orders")
        name, destination, fmt = "p1", duckdb_destination(args.work, "p1"), "parquet"
    elif scenario in ("p6", "tiny"):
        data = csv_files(args.data, args.glob, "rows" if scenario == "p6" else "customers")
        name, destination, fmt = scenario, duckdb_destination(args.work, scenario), "parquet"
    elif scenario in ("p4-base", "p4-merge", "p8-base", "p8-merge"):
        folder = os.path.join(args.data, "base" if scenario.endswith("-base") else "merge")
        data = csv_files(folder, "*.csv", "accounts")
        data.apply_hints(primary_key="id", write_disposition="merge")
        if scenario.startswith("p4"):
            name, destination, fmt = "p4", duckdb_destination(args.work, "p4"), "parquet"
        else:
            # CSV load files: dlt's fastest path into PostgreSQL is COPY, like Sluice's.
            name, destination, fmt = "p8", postgres_destination(args.postgres), "csv"
    elif scenario == "p7":
        data = csv_files(args.data, "*.csv", "rows")
        name, destination, fmt = "p7", postgres_destination(args.postgres), "csv"
    elif scenario == "p2":
        from dlt.sources.sql_database import sql_table
        data = sql_table(credentials=args.postgres, schema=args.schema, table=args.table, backend="connectorx", chunk_size=100_000,
                         reflection_level="minimal")
        name, destination, fmt = "p2", duckdb_destination(args.work, "p2"), "parquet"
    elif scenario == "p3":
        from dlt.sources.rest_api import rest_api_source
        data = rest_api_source({
            "client": {"base_url": args.api},
            "resources": [{
                "name": "records",
                "endpoint": {"path": "records", "params": {"page": 0}, "data_selector": "data",
                             "paginator": {"type": "page_number", "page_param": "page", "base_page": 0,
                                           "total_path": "total_pages"}},
            }],
        })
        name, destination, fmt = "p3", postgres_destination(args.postgres), "csv"
    else:
        raise AssertionError(scenario)

    pipe = pipeline(name, args.work, destination)
    info = pipe.run(data, loader_file_format=fmt)
    info.raise_on_failed_jobs()
    report(pipe)


if __name__ == "__main__":
    main(sys.argv[1:])
