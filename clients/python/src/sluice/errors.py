"""Errors of the Sluice API as Python exceptions: the gRPC status code, its message and the field violations."""
from __future__ import annotations

from typing import NamedTuple

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status


class FieldViolation(NamedTuple):
    """One problem of a request, e.g. ``source.filesystem.resources[0].glob: expected text, got a list``."""

    field: str
    description: str

    def __str__(self) -> str:
        return f"{self.field}: {self.description}" if self.field else self.description


class SluiceError(Exception):
    """A call the service refused or could not answer."""

    def __init__(self, code: grpc.StatusCode, message: str, field_violations: list[FieldViolation] | None = None):
        self.code = code
        self.message = message
        self.field_violations = list(field_violations or [])
        lines = [f"{code.name}: {message}", *(f"  {violation}" for violation in self.field_violations)]
        super().__init__("\n".join(lines))


class InvalidArgumentError(SluiceError):
    """The request is wrong, e.g. a pipeline spec with problems: ``field_violations`` names each one."""


class UnimplementedError(SluiceError):
    """The spec is right, but uses a feature this server cannot run yet: ``field_violations`` names the fields."""


class NotFoundError(SluiceError):
    """No such pipeline, run or load package."""


class AlreadyExistsError(SluiceError):
    """A pipeline of that name exists already."""


class FailedPreconditionError(SluiceError):
    """The request does not fit the current state, e.g. a run that has ended, a package a live run owns."""


class AbortedError(SluiceError):
    """An etag did not match: someone changed the pipeline meanwhile."""


_BY_CODE = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgumentError,
    grpc.StatusCode.UNIMPLEMENTED: UnimplementedError,
    grpc.StatusCode.NOT_FOUND: NotFoundError,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExistsError,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPreconditionError,
    grpc.StatusCode.ABORTED: AbortedError,
}


def error_for(code: grpc.StatusCode, message: str, field_violations: list[FieldViolation] | None = None) -> SluiceError:
    """The exception class that stands for ``code``; :class:`SluiceError` itself for the others."""
    return _BY_CODE.get(code, SluiceError)(code, message, field_violations)


def from_rpc_error(error: grpc.RpcError) -> SluiceError:
    """Turns a failed call into its exception, with the ``google.rpc.BadRequest`` field violations it carries."""
    violations = []
    status = rpc_status.from_call(error) if isinstance(error, grpc.Call) else None
    if status is not None:
        for detail in status.details:
            if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad_request = error_details_pb2.BadRequest()
                detail.Unpack(bad_request)
                violations.extend(FieldViolation(v.field, v.description) for v in bad_request.field_violations)
    code = error.code() if isinstance(error, grpc.Call) else grpc.StatusCode.UNKNOWN
    message = error.details() if isinstance(error, grpc.Call) else str(error)
    return error_for(code, message or "", violations)
