"""The client against a live service: register from YAML, idempotent triggers, following a run, the schema, errors."""
import uuid

import pytest

import sluice
from sluice.v1 import run_service_pb2, run_state_pb2

RUN_DEADLINE_SECONDS = 120


def test_register_trigger_follow_and_read_schema(client, pipeline_file):
    registered = client.register(pipeline_file)
    name = registered.name
    assert registered.etag

    request_id = f"nightly-{uuid.uuid4()}"
    first = client.trigger(name, request_id=request_id)
    second = client.trigger(name, request_id=request_id)
    assert second.id == first.id
    runs = client.runs.ListRuns(run_service_pb2.ListRunsRequest(pipeline=name), timeout=30).runs
    assert [run.id for run in runs] == [first.id]

    events = []
    final = client.wait(first.id, timeout=RUN_DEADLINE_SECONDS, on_event=events.append)
    assert final.state == run_state_pb2.COMPLETED, final.error
    assert events[0].WhichOneof("kind") == "snapshot"
    last_state = [event.state_change.to for event in events if event.WhichOneof("kind") == "state_change"][-1]
    assert last_state == run_state_pb2.COMPLETED
    assert {table.table: table.rows for table in final.summary.tables} == {"customers": 3, "events": 2}

    schema = client.schema(name)
    assert schema.dataset == "clients"
    columns = {table.name: {column.name: column for column in table.columns} for table in schema.tables}
    assert {"id", "name", "score"} <= columns["customers"].keys()
    assert columns["customers"]["id"].primary_key
    assert {"id", "kind", "user__id"} <= columns["events"].keys()


def test_follow_yields_the_events_then_returns_the_ended_run(client, pipeline_file):
    run = client.trigger(client.register(pipeline_file).name)
    events = client.follow(run.id, timeout=RUN_DEADLINE_SECONDS)
    kinds = []
    try:
        while True:
            kinds.append(next(events).WhichOneof("kind"))
    except StopIteration as end:
        final = end.value
    assert kinds[0] == "snapshot"
    assert "summary" in kinds
    assert final.id == run.id
    assert sluice.is_terminal(final.state)
    assert final.state == run_state_pb2.COMPLETED, final.error


def test_register_again_updates_the_spec(client, pipeline_file):
    first = client.register(pipeline_file)
    pipeline_file.write_text(pipeline_file.read_text().replace("timeout: 2m", "timeout: 3m"))
    second = client.register(pipeline_file)
    assert (second.name, second.timeout) == (first.name, "3m")
    assert second.etag != first.etag


def test_a_bad_spec_raises_with_every_field_violation(client, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: python-client-bad\n"
                    "source: { filesystem: { base_path: /tmp, resources: [ { name: '', glob: '' } ] } }\n"
                    "destination: { duckdb: { path: '' } }\n")
    with pytest.raises(sluice.InvalidArgumentError) as raised:
        client.register(path)
    fields = [violation.field for violation in raised.value.field_violations]
    assert fields == ["source.filesystem.resources[0].name", "source.filesystem.resources[0].glob",
                      "destination.duckdb.path"]
    assert raised.value.code.name == "INVALID_ARGUMENT"


def test_an_unknown_run_is_not_found(client):
    with pytest.raises(sluice.NotFoundError):
        client.wait("no-such-run", timeout=30)

