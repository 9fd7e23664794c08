"""Registers a pipeline from a YAML file, triggers it once per request id, prints its events, then its tables.

    python examples/load_and_watch.py deploy/pipelines/demo-events.yaml [--server localhost:9000] [--request-id ID]
"""
import argparse
import sys

import sluice
from sluice.v1 import run_state_pb2


def describe(event) -> str | None:
    kind = event.WhichOneof("kind")
    if kind == "state_change":
        change = event.state_change
        return f"{run_state_pb2.RunState.Name(change.to):<10} {change.reason}"
    if kind == "progress":
        progress = event.progress
        return f"  {progress.table:<20} {progress.rows:>10,} rows {progress.rows_per_second:>12,.0f} rows/s"
    if kind == "log":
        return f"  {event.log.message}"
    return None


def show(event) -> None:
    line = describe(event)
    if line is not None:
        print(line)


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("file", help="a pipeline file (YAML or JSON)")
    arguments.add_argument("--server", help="host:port of the gRPC API (default $SLUICE_SERVER or localhost:9000)")
    arguments.add_argument("--request-id", default="", help="triggering again with the same id starts no second run")
    options = arguments.parse_args()
    with sluice.Client(options.server) as client:
        try:
            pipeline = client.register(options.file)
            run = client.trigger(pipeline.name, request_id=options.request_id)
            print(f"run {run.id} of {pipeline.name}")
            final = client.wait(run.id, on_event=show)
        except sluice.SluiceError as error:
            print(error, file=sys.stderr)
            return 1
        for table in final.summary.tables:
            print(f"{table.table}: {table.rows:,} rows")
        for table in client.schema(pipeline.name).tables:
            print(f"{table.name}({', '.join(column.name for column in table.columns)})")
        return 0 if final.state == run_state_pb2.COMPLETED else 1


if __name__ == "__main__":
    sys.exit(main())
