"""The live service the tests talk to (clients/test.sh starts one) and a small pipeline to load into it."""
import os
import textwrap
import uuid

import pytest

import sluice


@pytest.fixture(scope="session")
def client():
    server = os.environ.get("SLUICE_SERVER")
    if not server:
        pytest.fail("SLUICE_SERVER is not set: clients/test.sh starts a service and sets it (or point it at yours)")
    with sluice.Client(server, timeout=30) as client:
        yield client


@pytest.fixture
def pipeline_file(tmp_path):
    """A pipeline file loading a small CSV and a JSONL file from a temporary directory into a DuckDB file there."""
    (tmp_path / "customers.csv").write_text("id,name,score\n1,ada,3.5\n2,bob,4\n3,cy,\n")
    (tmp_path / "events.jsonl").write_text('{"id": 1, "kind": "click", "user": {"id": 7}}\n'
                                           '{"id": 2, "kind": "view", "user": {"id": 8}}\n')
    name = f"python-client-{uuid.uuid4().hex[:8]}"
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(f"""\
        name: {name}
        timeout: 2m
        source:
          filesystem:
            base_path: {tmp_path}
            resources:
              - name: customers
                glob: "*.csv"
                primary_key: [id]
                write_disposition: merge
              - name: events
                glob: "*.jsonl"
        destination:
          duckdb: {{ path: {tmp_path / "warehouse.duckdb"} }}
          dataset: clients
        """))
    return path
