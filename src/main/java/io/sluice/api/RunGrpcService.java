package io.sluice.api;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.sluice.proto.v1.CancelRunRequest;
import io.sluice.proto.v1.GetRunRequest;
import io.sluice.proto.v1.ListRunLogsRequest;
import io.sluice.proto.v1.ListRunLogsResponse;
import io.sluice.proto.v1.ListRunsRequest;
import io.sluice.proto.v1.ListRunsResponse;
import io.sluice.proto.v1.RunEvent;
import io.sluice.proto.v1.RetryRunRequest;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.proto.v1.TriggerRunRequest;
import io.sluice.proto.v1.WatchRunRequest;
import io.sluice.catalog.Page;
import io.sluice.catalog.Run;
import io.sluice.catalog.Trigger;
import io.sluice.runs.RecordedEvent;
import io.sluice.runs.RunExecutor;
import io.sluice.runs.RunLogs;
import io.sluice.runs.RunRetries;
import io.sluice.runs.RunWatch;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** The run service: trigger, watch, read, list, cancel and retry runs, and read their logs. */
@GrpcService
class RunGrpcService extends RunServiceGrpc.RunServiceImplBase {
    private static final Duration POLL = Duration.ofMillis(200);

    private final RunExecutor executor;
    private final PipelineScopes scopes;
    private final RunRetries retries;
    private final RunLogs logs;

    RunGrpcService(RunExecutor executor, PipelineScopes scopes, RunRetries retries, RunLogs logs) {
        this.executor = executor;
        this.scopes = scopes;
        this.retries = retries;
        this.logs = logs;
    }

    @Override
    public void triggerRun(TriggerRunRequest request, StreamObserver<io.sluice.proto.v1.Run> response) {
        Responses.respond(response, () -> {
            String pipeline = scopes.checkPipeline(Responses.required(request.getPipeline(), "pipeline"));
            return RunMessages.run(executor.trigger(pipeline, request.getRequestId(), Trigger.API,
                    RunMessages.refresh(request.getRefresh(), request.getResourcesList())));
        });
    }

    /**
     * Streams the run's events. The run offers events to the watch without ever waiting; this thread sends them
     * only while the client's transport is ready, so a slow client gets coalesced progress instead of a backlog.
     */
    @Override
    public void watchRun(WatchRunRequest request, StreamObserver<RunEvent> response) {
        // Handlers can only be set during this first invocation; the watch itself runs on a virtual thread.
        Semaphore ready = new Semaphore(0);
        AtomicReference<RunWatch> opened = new AtomicReference<>();
        ServerCallStreamObserver<RunEvent> call = response instanceof ServerCallStreamObserver<RunEvent> server ? server : null;
        if (call != null) {
            call.setOnCancelHandler(() -> {
                RunWatch watch = opened.get();
                if (watch != null) {
                    watch.close();
                }
            });
            call.setOnReadyHandler(ready::release);
        }
        Responses.startInCallContext("grpc-watch", () -> stream(request, response, call, ready, opened));
    }

    private void stream(WatchRunRequest request, StreamObserver<RunEvent> response, ServerCallStreamObserver<RunEvent> call,
                        Semaphore ready, AtomicReference<RunWatch> opened) {
        RunWatch watch;
        try {
            watch = executor.watch(checkedRun(request.getRunId()));
        } catch (RuntimeException failure) {
            response.onError(StatusMapper.toStatus(failure));
            return;
        }
        opened.set(watch);
        if (call != null && call.isCancelled()) {
            watch.close();
        }
        try (watch) {
            while (!watch.finished()) {
                Optional<RecordedEvent> next = watch.next(POLL);
                if (next.isEmpty()) {
                    continue;
                }
                while (call != null && !call.isReady() && !call.isCancelled()) {
                    ready.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS);
                }
                if (call != null && call.isCancelled()) {
                    return;
                }
                response.onNext(RunEventMessages.event(next.get()));
            }
            response.onCompleted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.onError(io.grpc.Status.CANCELLED.withDescription("the server is stopping").asRuntimeException());
        }
    }

    @Override
    public void getRun(GetRunRequest request, StreamObserver<io.sluice.proto.v1.Run> response) {
        Responses.respond(response, () -> RunMessages.run(executor.get(checkedRun(request.getRunId()))));
    }

    @Override
    public void listRuns(ListRunsRequest request, StreamObserver<ListRunsResponse> response) {
        Responses.respond(response, () -> {
            Page<Run> page = executor.list(RunMessages.filter(request), Responses.pageSize(request.getPageSize()), request.getPageToken());
            // A scoped caller's runs are left out after the page is read, as label selectors leave out pipelines.
            Predicate<String> covered = scopes.coveredPipelines();
            return ListRunsResponse.newBuilder()
                    .addAllRuns(page.items().stream().filter(run -> covered.test(run.pipeline())).map(RunMessages::run)
                            .toList())
                    .setNextPageToken(page.nextPageToken())
                    .build();
        });
    }

    @Override
    public void cancelRun(CancelRunRequest request, StreamObserver<io.sluice.proto.v1.Run> response) {
        Responses.respond(response, () -> RunMessages.run(executor.cancel(checkedRun(request.getRunId()))));
    }

    /** The run's id, once it is given and the caller's scope is found to cover the run's pipeline. */
    private String checkedRun(String runId) {
        return scopes.checkRun(Responses.required(runId, "run_id"));
    }

    @Override
    public void retryRun(RetryRunRequest request, StreamObserver<io.sluice.proto.v1.Run> response) {
        Responses.respond(response, () -> RunMessages.run(retries.retry(checkedRun(request.getRunId()))));
    }

    @Override
    public void listRunLogs(ListRunLogsRequest request, StreamObserver<ListRunLogsResponse> response) {
        Responses.respond(response, () -> {
            Page<RecordedEvent> page = logs.page(checkedRun(request.getRunId()),
                    Responses.pageSize(request.getPageSize()), request.getPageToken());
            return ListRunLogsResponse.newBuilder()
                    .addAllLines(page.items().stream().map(RunEventMessages::event).toList())
                    .setNextPageToken(page.nextPageToken())
                    .build();
        });
    }
}
