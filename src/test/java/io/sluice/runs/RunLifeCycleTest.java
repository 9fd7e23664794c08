package io.sluice.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.Stage;
import io.sluice.load.LoadPackages;
import io.sluice.proto.v1.CreatePipelineRequest;
import io.sluice.proto.v1.DeletePipelineRequest;
import io.sluice.proto.v1.DiscardPendingPackageRequest;
import io.sluice.proto.v1.GetRunRequest;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.RetryRunRequest;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.proto.v1.TriggerRunRequest;
import io.sluice.proto.v1.WatchRunRequest;
import io.sluice.testing.Await;
import io.sluice.testing.BlockedCommits;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.Specs;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The life cycle of a run through the real gRPC API: every state change stored with its time and reason and streamed
 * to watchers; RetryRun going on under the run's own id from the package it sealed, or saying why it cannot; a cancel
 * landing in each stage (aimed by {@link StageTrap}), which stops at a safe point, never inside a commit, and gives
 * every slot back; a crashed run resumed from its package. Each test loads a DuckDB file of its own.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
class RunLifeCycleTest {
    private static final int ITEMS = 300;
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @GrpcClient("sluice")
    PipelineServiceGrpc.PipelineServiceBlockingStub pipelines;

    @GrpcClient("sluice")
    RunServiceGrpc.RunServiceBlockingStub runs;

    @Inject
    CatalogStore store;

    @Inject
    SluiceConfig config;

    @Inject
    RunExecutor executor;

    @Inject
    RunRetries retries;

    @Inject
    ConcurrencyLimits limits;

    @Inject
    StageTrap trap;

    /** Where a cancel lands: the event of the run on which it is asked for. */
    enum CancelledIn {
        /** The first rows read: the run stops at the next item, before anything is sealed. */
        EXTRACT(event -> event instanceof RunEvent.TableProgress progress && progress.stage() == Stage.EXTRACT),
        /** Normalize has sealed the package: the run stops before loading it, and keeps it. */
        NORMALIZE(event -> event instanceof RunEvent.TableProgress progress && progress.stage() == Stage.NORMALIZE),
        /** The first load job has begun: the run stops before the commit, and keeps the package with the job completed. */
        LOAD(event -> event instanceof RunEvent.LogLine line && line.message().startsWith("loading job 1 of ")),
        /** The commit's transaction has begun: it is never cut, so the run completes. */
        COMMIT(event -> event instanceof RunEvent.LogLine line && line.message().startsWith("committing load "));

        private final Predicate<RunEvent> when;

        CancelledIn(Predicate<RunEvent> when) {
            this.when = when;
        }
    }

    @Test
    void aFailedRunIsRetriedUnderItsOwnIdFromItsPackageAndEveryChangeIsStoredAndStreamed() throws Exception {
        Path database = database("life-retried");
        io.sluice.proto.v1.Run failed = failedCommit("life-retried", database);
        String loadId = onlyPendingLoadId("life-retried");
        BlockedCommits.unblock(database);

        io.sluice.proto.v1.Run retried = runs.retryRun(RetryRunRequest.newBuilder().setRunId(failed.getId()).build());
        assertEquals(failed.getId(), retried.getId(), "the same run");
        assertEquals(2, retried.getAttempt());
        List<io.sluice.proto.v1.RunEvent> streamed = watch(failed.getId());
        io.sluice.proto.v1.Run ended = runs.getRun(GetRunRequest.newBuilder().setRunId(failed.getId()).build());

        assertEquals(io.sluice.proto.v1.RunState.COMPLETED, ended.getState(), ended.getError());
        assertEquals(2, ended.getAttempt());
        assertEquals(loadId, ended.getSummary().getLoadId(), "the retry committed the package the run sealed");
        assertEquals(ITEMS, ended.getSummary().getRows());
        assertEquals(List.of(List.of(loadId, String.valueOf(ITEMS))), DuckDbQueries.rows(database,
                "SELECT _sluice_load_id, count(*) FROM raw.items WHERE _sluice_load_id = '" + loadId + "' GROUP BY 1"));
        assertEquals(2L * ITEMS, DuckDbQueries.count(database, "SELECT count(*) FROM raw.items"), "the first run's rows and the retry's");
        assertEquals(2, DuckDbQueries.count(database, "SELECT count(*) FROM raw._sluice_loads"));

        List<RunEvent.StateChanged> changes = stateChanges(failed.getId());
        assertEquals(List.of(List.of(RunState.PENDING, RunState.RUNNING), List.of(RunState.RUNNING, RunState.FAILED),
                List.of(RunState.FAILED, RunState.PENDING), List.of(RunState.PENDING, RunState.RUNNING),
                List.of(RunState.RUNNING, RunState.COMPLETED)), changes.stream().map(change -> List.of(change.from(), change.to())).toList());
        assertEquals("retried on request", changes.get(2).reason());
        assertTrue(changes.stream().noneMatch(change -> change.reason().isEmpty()), changes.toString());
        assertTrue(storedStateChanges(failed.getId()).stream().allMatch(event -> event.time() != null), "each change has its time");
        assertTrue(streamed.stream().anyMatch(event -> event.hasStateChange()
                && event.getStateChange().getFrom() == io.sluice.proto.v1.RunState.FAILED
                && event.getStateChange().getTo() == io.sluice.proto.v1.RunState.PENDING
                && event.getStateChange().getReason().equals("retried on request")), "the watcher got the retry");
        assertTrue(streamed.stream().anyMatch(event -> event.hasStateChange()
                && event.getStateChange().getTo() == io.sluice.proto.v1.RunState.COMPLETED), "and the end");
        List<String> log = messages(failed.getId());
        assertEquals(1, log.stream().filter(line -> line.startsWith("extracting resource items")).count(), "the source was read once");
        assertTrue(log.contains("loading the package sealed by an earlier attempt, load " + loadId), log.toString());

        StatusRuntimeException again = assertThrows(StatusRuntimeException.class,
                () -> runs.retryRun(RetryRunRequest.newBuilder().setRunId(failed.getId()).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, again.getStatus().getCode());
        assertEquals("run " + failed.getId() + " is COMPLETED; only a FAILED, CANCELLED or CRASHED run can be retried",
                again.getStatus().getDescription());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                () -> runs.retryRun(RetryRunRequest.newBuilder().setRunId("no-such-run").build())).getStatus().getCode());
    }

    @Test
    void aRunWhosePackageWasDiscardedOrWhosePipelineIsGoneIsNotRetried() throws Exception {
        Path database = database("life-discarded");
        io.sluice.proto.v1.Run failed = failedCommit("life-discarded", database);
        String loadId = onlyPendingLoadId("life-discarded");
        pipelines.discardPendingPackage(DiscardPendingPackageRequest.newBuilder().setPipeline("life-discarded").setLoadId(loadId)
                .setDiscardedBy("ops").setReason("bad batch").build());
        StatusRuntimeException discarded = assertThrows(StatusRuntimeException.class,
                () -> runs.retryRun(RetryRunRequest.newBuilder().setRunId(failed.getId()).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, discarded.getStatus().getCode());
        assertEquals("run " + failed.getId() + " cannot be retried: its load package " + loadId + " was discarded by ops (bad batch)",
                discarded.getStatus().getDescription());

        pipelines.deletePipeline(DeletePipelineRequest.newBuilder().setName("life-discarded").build());
        StatusRuntimeException gone = assertThrows(StatusRuntimeException.class,
                () -> runs.retryRun(RetryRunRequest.newBuilder().setRunId(failed.getId()).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, gone.getStatus().getCode());
        assertEquals("run " + failed.getId() + " cannot be retried: its pipeline life-discarded is no longer registered",
                gone.getStatus().getDescription());
        assertEquals(io.sluice.proto.v1.RunState.FAILED, runs.getRun(GetRunRequest.newBuilder().setRunId(failed.getId()).build())
                .getState(), "a refused retry leaves the run as it was");
    }

    @Test
    void ofTwoRetriesAtOnceOneRetriesAndTheRunCommitsItsPackageOnce() throws Exception {
        Path database = database("life-raced");
        io.sluice.proto.v1.Run failed = failedCommit("life-raced", database);
        String loadId = onlyPendingLoadId("life-raced");
        BlockedCommits.unblock(database);

        CountDownLatch ready = new CountDownLatch(2);
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (int call = 0; call < 2; call++) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                ready.countDown();
                try {
                    ready.await(10, TimeUnit.SECONDS);
                    return runs.retryRun(RetryRunRequest.newBuilder().setRunId(failed.getId()).build());
                } catch (StatusRuntimeException refused) {
                    return refused.getStatus();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<Object> answers = new ArrayList<>();
        for (CompletableFuture<Object> call : calls) {
            answers.add(call.get(60, TimeUnit.SECONDS));
        }
        long retried = answers.stream().filter(answer -> answer instanceof io.sluice.proto.v1.Run run && run.getId().equals(failed.getId()))
                .count();
        assertTrue(retried >= 1, answers.toString());
        assertTrue(answers.stream().allMatch(answer -> answer instanceof io.sluice.proto.v1.Run
                || answer instanceof Status status && status.getCode() == Status.Code.FAILED_PRECONDITION), answers.toString());
        watch(failed.getId());
        io.sluice.proto.v1.Run ended = runs.getRun(GetRunRequest.newBuilder().setRunId(failed.getId()).build());
        assertEquals(io.sluice.proto.v1.RunState.COMPLETED, ended.getState(), ended.getError());
        assertEquals(2, ended.getAttempt(), "one retry");
        assertEquals(ITEMS, DuckDbQueries.count(database, "SELECT count(*) FROM raw.items WHERE _sluice_load_id = '" + loadId + "'"));
        assertEquals(2, DuckDbQueries.count(database, "SELECT count(*) FROM raw._sluice_loads"));
    }

    @ParameterizedTest(name = "cancelled in {0}")
    @EnumSource(CancelledIn.class)
    void aCancelStopsAtTheNextSafePointKeepsASealedPackageAndGivesEverySlotBack(CancelledIn stage) throws Exception {
        String pipeline = "life-cancel-" + stage.name().toLowerCase();
        Path database = database(pipeline);
        register(pipeline, database);
        trap.arm(pipeline, stage.when, run -> executor.cancel(run.id()));
        io.sluice.proto.v1.Run run = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline(pipeline).build());
        watch(run.getId());
        assertTrue(trap.sprung(), "the cancel landed in " + stage);
        io.sluice.proto.v1.Run ended = runs.getRun(GetRunRequest.newBuilder().setRunId(run.getId()).build());
        Await.until("every slot given back", DEADLINE, limits::snapshot, usages -> usages.stream().allMatch(usage -> usage.runs() == 0));
        List<RunEvent.StateChanged> changes = stateChanges(run.getId());
        assertTrue(changes.stream().anyMatch(change -> change.to() == RunState.CANCELLING && change.reason().equals("cancel requested")),
                changes.toString());

        if (stage == CancelledIn.COMMIT) {
            assertEquals(io.sluice.proto.v1.RunState.COMPLETED, ended.getState(), "a commit under way is never cut: " + ended.getError());
            assertEquals(ITEMS, DuckDbQueries.count(database, "SELECT count(*) FROM raw.items"));
            assertEquals(List.of(), new LoadPackages(config.dataDir()).pending(pipeline));
            return;
        }
        assertEquals(io.sluice.proto.v1.RunState.CANCELLED, ended.getState());
        assertEquals("cancelled on request", ended.getError());
        assertEquals(List.of(RunState.CANCELLING, RunState.CANCELLED), changes.subList(changes.size() - 2, changes.size()).stream()
                .map(RunEvent.StateChanged::to).toList());
        if (stage == CancelledIn.EXTRACT) {
            assertEquals(List.of(), new LoadPackages(config.dataDir()).pending(pipeline), "nothing sealed, nothing kept");
            return;
        }
        LoadPackages.PendingPackage kept = new LoadPackages(config.dataDir()).pending(pipeline).getFirst();
        assertEquals(run.getId(), kept.sealedByRun());
        assertEquals(stage == CancelledIn.LOAD ? 1 : 0, kept.jobs(LoadPackages.JobState.COMPLETED), kept.toString());

        io.sluice.proto.v1.Run retried = runs.retryRun(RetryRunRequest.newBuilder().setRunId(run.getId()).build());
        assertEquals(2, retried.getAttempt());
        watch(run.getId());
        io.sluice.proto.v1.Run completed = runs.getRun(GetRunRequest.newBuilder().setRunId(run.getId()).build());
        assertEquals(io.sluice.proto.v1.RunState.COMPLETED, completed.getState(), completed.getError());
        assertEquals(kept.loadId(), completed.getSummary().getLoadId());
        assertEquals(ITEMS, DuckDbQueries.count(database, "SELECT count(*) FROM raw.items"), "every row once: none before the retry");
        assertEquals(ITEMS, DuckDbQueries.count(database, "SELECT count(DISTINCT id) FROM raw.items"));
        assertEquals(1, messages(run.getId()).stream().filter(line -> line.startsWith("loading job 1 of "))
                .count(), "a job completed before the cancel is not loaded again");
        Await.until("every slot given back", DEADLINE, limits::snapshot, usages -> usages.stream().allMatch(usage -> usage.runs() == 0));
    }

    @Test
    void aCrashedRunIsMarkedWithAReasonAndResumedFromItsPackageUnderItsOwnId() throws Exception {
        Path database = database("life-crashed");
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(Specs.files("life-crashed",
                BlockedCommits.items(ITEMS).toString(), "items.jsonl", database.toString()).toBuilder()
                .setRetries(io.sluice.proto.v1.RetryPolicy.newBuilder().setMaxAttempts(2)).build()).build());
        assertEquals(io.sluice.proto.v1.RunState.COMPLETED, trigger("life-crashed").getState());
        BlockedCommits.block(database);
        io.sluice.proto.v1.Run failed = trigger("life-crashed");
        String loadId = onlyPendingLoadId("life-crashed");
        BlockedCommits.unblock(database);
        // As a process that died mid-run leaves it: RUNNING, its owner gone (none recorded counts as gone).
        Run stored = store.run(failed.getId()).orElseThrow();
        assertTrue(store.reopenRun(stored.withState(RunState.RUNNING), RunState.FAILED, ""));

        List<Run> crashed = executor.markCrashedRuns().stream().filter(run -> run.id().equals(failed.getId())).toList();
        assertEquals(1, crashed.size());
        assertEquals(RunState.CRASHED, store.run(failed.getId()).orElseThrow().state());
        RunEvent.StateChanged crash = stateChanges(failed.getId()).getLast();
        assertEquals(List.of(RunState.RUNNING, RunState.CRASHED), List.of(crash.from(), crash.to()));
        assertTrue(crash.reason().startsWith("the process running it stopped before it ended: "), crash.reason());

        List<Run> resumed = retries.resumeCrashed(crashed);
        assertEquals(List.of(failed.getId()), resumed.stream().map(Run::id).toList());
        watch(failed.getId());
        io.sluice.proto.v1.Run ended = runs.getRun(GetRunRequest.newBuilder().setRunId(failed.getId()).build());
        assertEquals(io.sluice.proto.v1.RunState.COMPLETED, ended.getState(), ended.getError());
        assertEquals(2, ended.getAttempt());
        assertEquals(loadId, ended.getSummary().getLoadId());
        assertEquals(2L * ITEMS, DuckDbQueries.count(database, "SELECT count(*) FROM raw.items"));
        assertEquals(ITEMS, DuckDbQueries.count(database, "SELECT count(*) FROM raw.items WHERE _sluice_load_id = '" + loadId + "'"));
        assertTrue(stateChanges(failed.getId()).stream().anyMatch(change -> change.from() == RunState.CRASHED
                && change.to() == RunState.PENDING && change.reason().equals("resumed after a crash: attempt 2 of 2")));
        assertEquals(List.of(), retries.resumeCrashed(List.of(store.run(failed.getId()).orElseThrow().withState(RunState.CRASHED))),
                "its last attempt crashed: not resumed again");
    }

    /** Registers the pipeline, loads it once, then blocks its commits: the run it returns FAILED and left its package pending. */
    private io.sluice.proto.v1.Run failedCommit(String name, Path database) throws Exception {
        register(name, database);
        assertEquals(io.sluice.proto.v1.RunState.COMPLETED, trigger(name).getState());
        BlockedCommits.block(database);
        io.sluice.proto.v1.Run failed = trigger(name);
        assertEquals(io.sluice.proto.v1.RunState.FAILED, failed.getState());
        return failed;
    }

    private void register(String name, Path database) throws Exception {
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(Specs.files(name, BlockedCommits.items(ITEMS).toString(),
                "items.jsonl", database.toString())).build());
    }

    private Path database(String pipeline) {
        return config.dataDir().resolve(pipeline + ".duckdb");
    }

    private String onlyPendingLoadId(String pipeline) {
        List<LoadPackages.PendingPackage> pending = new LoadPackages(config.dataDir()).pending(pipeline);
        assertEquals(1, pending.size(), pending.toString());
        return pending.getFirst().loadId();
    }

    private io.sluice.proto.v1.Run trigger(String pipeline) {
        String runId = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline(pipeline).build()).getId();
        watch(runId);
        return runs.getRun(GetRunRequest.newBuilder().setRunId(runId).build());
    }

    private List<io.sluice.proto.v1.RunEvent> watch(String runId) {
        List<io.sluice.proto.v1.RunEvent> events = new ArrayList<>();
        runs.withDeadlineAfter(DEADLINE.toSeconds(), TimeUnit.SECONDS).watchRun(WatchRunRequest.newBuilder().setRunId(runId).build())
                .forEachRemaining(events::add);
        return events;
    }

    /** The run's stored state changes, in order, without those that only say why it waits. */
    private List<RunEvent.StateChanged> stateChanges(String runId) {
        return storedStateChanges(runId).stream().map(event -> (RunEvent.StateChanged) event.event())
                .filter(change -> change.from() != change.to()).toList();
    }

    private List<RecordedEvent> storedStateChanges(String runId) {
        return store.events(runId).stream().map(RunEventCodec::decode).filter(event -> event.event() instanceof RunEvent.StateChanged)
                .toList();
    }

    /** The run's stored log lines (a table of their own since runs' logs are kept apart from their events). */
    private List<String> messages(String runId) {
        return RunLogLines.all(store, runId).stream().map(RecordedEvent::event)
                .filter(RunEvent.LogLine.class::isInstance).map(event -> ((RunEvent.LogLine) event).message()).toList();
    }
}
