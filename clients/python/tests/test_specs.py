"""Reading pipeline files without a service: the JSON mapping as the service reads it, and every problem named."""
from pathlib import Path

import pytest

import sluice
from sluice.v1 import pipeline_pb2, run_state_pb2

SPELLINGS = Path(__file__).resolve().parents[2] / "testdata" / "spellings.yaml"


def test_enums_in_any_case_yaml_1_2_keys_and_scalars_as_text():
    pipeline = sluice.read_pipeline(SPELLINGS)
    resource = pipeline.source.filesystem.resources[0]
    assert resource.write_disposition == pipeline_pb2.MERGE
    assert list(pipeline.alerts[0].on) == [run_state_pb2.FAILED, run_state_pb2.CRASHED]
    assert resource.incremental.initial_value == "2024-01-01"
    assert pipeline.timeout == "90"


def test_every_problem_is_named_with_its_path_in_the_files_order(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text("name: typo\nsource: { filesystem: { resources: [ { name: a, glob: [x], globb: b } ] } }\n")
    with pytest.raises(sluice.InvalidArgumentError) as raised:
        sluice.read_pipeline(path)
    assert [str(violation) for violation in raised.value.field_violations] == [
        "source.filesystem.resources[0].glob: expected text, got a list",
        "source.filesystem.resources[0].globb: unknown field; Resource has: "
        + ", ".join(field.name for field in pipeline_pb2.Resource.DESCRIPTOR.fields),
    ]


def test_an_empty_file_is_refused():
    with pytest.raises(sluice.InvalidArgumentError, match="empty"):
        sluice.parse_pipeline("# nothing here\n")


def test_a_key_given_twice_and_a_missing_file_are_refused(tmp_path):
    with pytest.raises(sluice.InvalidArgumentError, match="duplicate key 'name'"):
        sluice.parse_pipeline("name: a\nname: b\n")
    with pytest.raises(sluice.InvalidArgumentError, match="cannot read the file"):
        sluice.read_pipeline(tmp_path / "missing.yaml")
