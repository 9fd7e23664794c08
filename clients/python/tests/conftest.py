"""The live service the tests talk to (clients/test.sh starts one) and a small pipeline to load into it."""
import os
import string
import uuid
from pathlib import Path

import pytest

import sluice

TESTDATA = Path(__file__).resolve().parents[2] / "testdata"


@pytest.fixture(scope="session")
def client():
    server = os.environ.get("SLUICE_SERVER")
    if not server:
        pytest.fail("SLUICE_SERVER is not set: clients/test.sh starts a service and sets it (or point it at yours)")
    with sluice.Client(server, timeout=30) as client:
        yield client


@pytest.fixture
def pipeline_file(tmp_path):
    """clients/testdata/pipeline.yaml, filled in: a pipeline of its own loading the CSV and JSONL files there into a
    DuckDB file in a temporary directory."""
    name = f"python-client-{uuid.uuid4().hex[:8]}"
    template = string.Template((TESTDATA / "pipeline.yaml").read_text())
    path = tmp_path / f"{name}.yaml"
    path.write_text(template.substitute(NAME=name, DATA=TESTDATA, WAREHOUSE=tmp_path / "warehouse.duckdb"))
    return path
