"""Reads pipeline files (YAML or JSON) into the ``sluice.v1.Pipeline`` message, as the service's own reader does.

A file is the message's protobuf JSON mapping. Before the JSON parser sees it, the tree is walked against the
message's descriptor: unknown keys and wrongly typed values are reported with their paths all at once, enum values
may be written in any case (``merge`` as well as ``MERGE``) and scalars given for text fields become text.
"""
from __future__ import annotations

import os
import re
from typing import Any

import grpc
import yaml
from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor

from sluice.errors import FieldViolation, InvalidArgumentError
from sluice.v1 import pipeline_pb2


class _SpecLoader(yaml.SafeLoader):
    """YAML read as the service reads it: booleans are only true/false (so ``on:`` of alerts stays a key), dates
    stay text, and a key given twice is an error."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError("while reading a mapping", node.start_mark,
                                                        f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in ("tag:yaml.org,2002:bool",
                                                                        "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SpecLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                  list("tTfF"))


def read_pipeline(path: str | os.PathLike) -> pipeline_pb2.Pipeline:
    """Reads a ``.yaml``, ``.yml`` or ``.json`` pipeline file; :class:`InvalidArgumentError` lists its problems."""
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except OSError as error:
        raise _invalid(str(path), [FieldViolation("", f"cannot read the file: {error}")]) from None
    return parse_pipeline(text, origin=str(path))


def parse_pipeline(text: str, origin: str = "<text>") -> pipeline_pb2.Pipeline:
    """Reads spec text; YAML is a superset of JSON, so both spellings parse here."""
    try:
        tree = yaml.load(text, Loader=_SpecLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise _invalid(origin, [FieldViolation("", f"malformed YAML/JSON: {error.problem}{where}")]) from None
    except yaml.YAMLError as error:
        raise _invalid(origin, [FieldViolation("", f"malformed YAML/JSON: {error}")]) from None
    if tree is None:
        raise _invalid(origin, [FieldViolation("", "the file is empty")])
    problems: list[FieldViolation] = []
    checked = _check_message(tree, pipeline_pb2.Pipeline.DESCRIPTOR, "", problems)
    if problems:
        raise _invalid(origin, problems)
    try:
        return json_format.ParseDict(checked, pipeline_pb2.Pipeline())
    except json_format.ParseError as error:
        raise _invalid(origin, [FieldViolation("", str(error))]) from None


def _invalid(origin: str, problems: list[FieldViolation]) -> InvalidArgumentError:
    return InvalidArgumentError(grpc.StatusCode.INVALID_ARGUMENT, f"{origin}: {len(problems)} problem(s)", problems)


def _check_message(node: Any, message: Descriptor, path: str, problems: list[FieldViolation]) -> Any:
    if message.full_name.startswith("google.protobuf."):
        return node  # well-known types have JSON spellings of their own, which the parser checks
    if not isinstance(node, dict):
        problems.append(FieldViolation(path, f"expected an object ({message.name}), got {_describe(node)}"))
        return node
    checked = {}
    for key, value in node.items():
        field_path = f"{path}.{key}" if path else str(key)
        field = message.fields_by_name.get(key) or next((f for f in message.fields if f.json_name == key), None)
        if field is None:
            problems.append(FieldViolation(field_path, f"unknown field; {message.name} has: "
                                           + ", ".join(f.name for f in message.fields)))
        elif value is not None:
            checked[key] = _check_field(value, field, field_path, problems)
    return checked


def _check_field(value: Any, field: FieldDescriptor, path: str, problems: list[FieldViolation]) -> Any:
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        if not isinstance(value, dict):
            problems.append(FieldViolation(path, f"expected a map, got {_describe(value)}"))
            return value
        entry_value = field.message_type.fields_by_name["value"]
        return {str(k): _check_value(v, entry_value, f"{path}.{k}", problems) for k, v in value.items()}
    if field.is_repeated:
        if not isinstance(value, list):
            problems.append(FieldViolation(path, f"expected a list, got {_describe(value)}"))
            return value
        return [_check_value(item, field, f"{path}[{index}]", problems) for index, item in enumerate(value)]
    return _check_value(value, field, path, problems)


def _check_value(value: Any, field: FieldDescriptor, path: str, problems: list[FieldViolation]) -> Any:
    kind = field.cpp_type
    if kind == FieldDescriptor.CPPTYPE_MESSAGE:
        return _check_message(value, field.message_type, path, problems)
    if kind == FieldDescriptor.CPPTYPE_ENUM:
        if isinstance(value, str):
            match = field.enum_type.values_by_name.get(value.upper())
            if match is not None and match.number != 0:
                return match.name
        names = ", ".join(v.name for v in field.enum_type.values if v.number != 0)
        problems.append(FieldViolation(path, f"expected one of {names}, got {_describe(value)}"))
    elif kind == FieldDescriptor.CPPTYPE_STRING and field.type == FieldDescriptor.TYPE_BYTES:
        if isinstance(value, str):
            return value
        problems.append(FieldViolation(path, f"expected base64 text, got {_describe(value)}"))
    elif kind == FieldDescriptor.CPPTYPE_STRING:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (str, int, float)):
            return str(value)
        problems.append(FieldViolation(path, f"expected text, got {_describe(value)}"))
    elif kind == FieldDescriptor.CPPTYPE_BOOL:
        if isinstance(value, bool):
            return value
        problems.append(FieldViolation(path, f"expected true or false, got {_describe(value)}"))
    elif kind in (FieldDescriptor.CPPTYPE_FLOAT, FieldDescriptor.CPPTYPE_DOUBLE):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        problems.append(FieldViolation(path, f"expected a number, got {_describe(value)}"))
    else:
        whole = isinstance(value, int) and not isinstance(value, bool)
        wide = kind in (FieldDescriptor.CPPTYPE_INT64, FieldDescriptor.CPPTYPE_UINT64)
        if whole and (wide or -2**31 <= value < 2**31):
            return value
        problems.append(FieldViolation(path, f"expected a whole number, got {_describe(value)}"))
    return value


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"
    shown = repr(value) if isinstance(value, str) else str(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return f"text {shown}" if isinstance(value, str) else f"the number {shown}"
