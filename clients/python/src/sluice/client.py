"""A client of one Sluice service: register pipelines, trigger runs, follow them, read what they loaded."""
from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterable
from typing import TypeVar

import grpc

from sluice.errors import from_rpc_error
from sluice.specs import read_pipeline
from sluice.v1 import (dataset_service_pb2, dataset_service_pb2_grpc, pipeline_pb2, pipeline_service_pb2,
                       pipeline_service_pb2_grpc, run_pb2, run_service_pb2, run_service_pb2_grpc, run_state_pb2)

_Response = TypeVar("_Response")

TERMINAL_STATES = frozenset({run_state_pb2.COMPLETED, run_state_pb2.FAILED, run_state_pb2.CANCELLED,
                             run_state_pb2.CRASHED})


def is_terminal(state: int) -> bool:
    """Whether a run in this state has ended (and will not change again)."""
    return state in TERMINAL_STATES


class Client:
    """Talks to a Sluice service over gRPC; every refusal is raised as a :class:`sluice.SluiceError`.

    The generated stubs are there too (``client.pipelines``, ``client.runs``, ``client.datasets``) for the calls
    the helpers do not wrap; their errors stay ``grpc.RpcError`` (``sluice.from_rpc_error`` converts one).
    """

    def __init__(self, target: str | None = None, *, channel: grpc.Channel | None = None, timeout: float = 30.0):
        """``target`` is ``host:port`` (default ``$SLUICE_SERVER`` or ``localhost:9000``), dialled without TLS;
        give a ``channel`` of your own for TLS or credentials. ``timeout`` bounds each unary call, in seconds."""
        self._owns_channel = channel is None
        self._channel = channel or grpc.insecure_channel(target or os.environ.get("SLUICE_SERVER", "localhost:9000"))
        self._timeout = timeout
        self.pipelines = pipeline_service_pb2_grpc.PipelineServiceStub(self._channel)
        self.runs = run_service_pb2_grpc.RunServiceStub(self._channel)
        self.datasets = dataset_service_pb2_grpc.DatasetServiceStub(self._channel)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Closes the channel, unless it was handed in."""
        if self._owns_channel:
            self._channel.close()

    def register(self, spec: str | os.PathLike | pipeline_pb2.Pipeline, *,
                 validate_only: bool = False) -> pipeline_pb2.Pipeline:
        """Creates the pipeline, or replaces the spec of the one with its name, from a YAML/JSON file (or a
        ``Pipeline`` message); returns it as stored. ``validate_only`` lets the service check it and store nothing."""
        pipeline = spec if isinstance(spec, pipeline_pb2.Pipeline) else read_pipeline(spec)
        request = pipeline_service_pb2.UpdatePipelineRequest(pipeline=pipeline, allow_missing=True,
                                                             validate_only=validate_only)
        return self._call(self.pipelines.UpdatePipeline, request)

    def trigger(self, pipeline: str, *, request_id: str = "", refresh: int = 0,
                resources: Iterable[str] = ()) -> run_pb2.Run:
        """Starts a run of ``pipeline`` and returns it at once (PENDING). A ``request_id`` makes the call
        idempotent: triggering again with the same id returns the first run instead of starting another."""
        request = run_service_pb2.TriggerRunRequest(pipeline=pipeline, request_id=request_id, refresh=refresh,
                                                    resources=list(resources))
        return self._call(self.runs.TriggerRun, request)

    def run(self, run_id: str) -> run_pb2.Run:
        """The run as it is now."""
        return self._call(self.runs.GetRun, run_service_pb2.GetRunRequest(run_id=run_id))

    def follow(self, run_id: str, *, timeout: float | None = None) -> Generator[run_pb2.RunEvent, None, run_pb2.Run]:
        """Yields the run's events — a snapshot first, then state changes, progress, log lines, schema changes and
        the summary — until it ends, then returns the ended run (``final = yield from client.follow(id)``, or use
        :meth:`wait`). ``timeout`` (seconds) bounds the whole watch; stopping early cancels it."""
        call = self.runs.WatchRun(run_service_pb2.WatchRunRequest(run_id=run_id), timeout=timeout)
        try:
            yield from call
        except grpc.RpcError as error:
            raise from_rpc_error(error) from error
        finally:
            call.cancel()
        return self.run(run_id)

    def wait(self, run_id: str, *, timeout: float | None = None,
             on_event: Callable[[run_pb2.RunEvent], None] | None = None) -> run_pb2.Run:
        """Follows the run until it ends, handing each event to ``on_event``, and returns the ended run."""
        events = self.follow(run_id, timeout=timeout)
        while True:
            try:
                event = next(events)
            except StopIteration as end:
                return end.value
            if on_event is not None:
                on_event(event)

    def schema(self, pipeline: str) -> dataset_service_pb2.DatasetSchema:
        """The schema the pipeline's loads made: tables, columns and types, and the version history."""
        return self._call(self.datasets.GetSchema, dataset_service_pb2.GetSchemaRequest(pipeline=pipeline))

    def _call(self, method: Callable[..., _Response], request) -> _Response:
        try:
            return method(request, timeout=self._timeout)
        except grpc.RpcError as error:
            raise from_rpc_error(error) from error
