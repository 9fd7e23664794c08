"""The Python client of Sluice: ``sluice.Client`` wraps the gRPC API; ``sluice.v1`` holds the generated messages."""
from sluice.client import TERMINAL_STATES, Client, is_terminal
from sluice.errors import (AbortedError, AlreadyExistsError, FailedPreconditionError, FieldViolation,
                           InvalidArgumentError, NotFoundError, SluiceError, UnimplementedError, from_rpc_error)
from sluice.specs import parse_pipeline, read_pipeline

__all__ = [
    "AbortedError", "AlreadyExistsError", "Client", "FailedPreconditionError", "FieldViolation",
    "InvalidArgumentError", "NotFoundError", "SluiceError", "TERMINAL_STATES", "UnimplementedError",
    "from_rpc_error", "is_terminal", "parse_pipeline", "read_pipeline",
]
