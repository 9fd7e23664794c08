package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.proto.v1.CreatePipelineRequest;
import io.sluice.proto.v1.DiscardPendingPackageRequest;
import io.sluice.proto.v1.DiscardedPackage;
import io.sluice.proto.v1.GetPipelineRequest;
import io.sluice.proto.v1.GetRunRequest;
import io.sluice.proto.v1.ListPendingPackagesRequest;
import io.sluice.proto.v1.PackageTable;
import io.sluice.proto.v1.PendingPackage;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.ResumedLoad;
import io.sluice.proto.v1.RetryPendingPackageRequest;
import io.sluice.proto.v1.Run;
import io.sluice.proto.v1.RunEvent;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.proto.v1.RunState;
import io.sluice.proto.v1.TriggerRunRequest;
import io.sluice.proto.v1.WatchRunRequest;
import io.sluice.load.LoadPackages;
import io.sluice.load.OwnedPackage;
import io.sluice.runs.SluiceConfig;
import io.sluice.testing.BlockedCommits;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.Specs;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Load packages a failed commit left pending, seen, retried and discarded through the gRPC API. */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
class PendingPackagesTest {
    private static final int ITEMS = 50;

    @GrpcClient("sluice")
    PipelineServiceGrpc.PipelineServiceBlockingStub pipelines;

    @GrpcClient("sluice")
    RunServiceGrpc.RunServiceBlockingStub runs;

    @Inject
    SluiceConfig config;

    @Test
    void aPackageThatCannotCommitIsNamedShownAndRetriedExactlyOnce() throws Exception {
        Path database = config.dataDir().resolve("pending-retried.duckdb");
        Run failed = failedCommit("pending-retried", database);
        PendingPackage pending = onlyPending("pending-retried");
        assertEquals(failed.getId(), pending.getSealedByRun());
        assertEquals(ITEMS, pending.getRows());
        assertEquals(List.of(PackageTable.newBuilder().setTable("items").setRows(ITEMS).build()), pending.getTablesList());
        assertTrue(pending.getLastFailure().startsWith("committing load " + pending.getLoadId() + " into " + database + " failed: "),
                pending.getLastFailure());
        assertFalse(pending.getOwnedByLiveRun());
        assertTrue(pending.hasSealTime());
        assertTrue(Files.isDirectory(Path.of(pending.getPath())), pending.getPath());
        String named = "load package " + pending.getLoadId() + " (" + ITEMS + " rows) stays pending at " + pending.getPath()
                + "; the pipeline's next run commits it first, or commit it now with `sluice pipelines packages retry pending-retried "
                + pending.getLoadId() + "`, or throw it away with `sluice pipelines packages discard pending-retried "
                + pending.getLoadId() + "`";
        assertTrue(failed.getError().startsWith(pending.getLastFailure()) && failed.getError().endsWith("; " + named), failed.getError());
        assertTrue(watch(failed.getId()).stream().anyMatch(event -> event.hasLog() && event.getLog().getMessage().endsWith(named)),
                "the failed run's events name the package");

        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> pipelines.retryPendingPackage(
                RetryPendingPackageRequest.newBuilder().setPipeline("pending-retried").setLoadId("nope").build())).getStatus().getCode());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> pipelines.retryPendingPackage(
                RetryPendingPackageRequest.newBuilder().setPipeline("nobody").setLoadId(pending.getLoadId()).build())).getStatus().getCode());
        LoadPackages packages = new LoadPackages(config.dataDir());
        List<OwnedPackage> held = packages.claimPending("pending-retried");
        try {
            assertEquals(1, held.size());
            assertTrue(onlyPending("pending-retried").getOwnedByLiveRun());
            StatusRuntimeException inUse = assertThrows(StatusRuntimeException.class, () -> pipelines.retryPendingPackage(
                    RetryPendingPackageRequest.newBuilder().setPipeline("pending-retried").setLoadId(pending.getLoadId()).build()));
            assertEquals(Status.Code.FAILED_PRECONDITION, inUse.getStatus().getCode());
            assertEquals(Status.Code.FAILED_PRECONDITION, assertThrows(StatusRuntimeException.class, () -> discard("pending-retried",
                    pending.getLoadId())).getStatus().getCode());
        } finally {
            held.forEach(OwnedPackage::close);
        }

        BlockedCommits.unblock(database);
        Run retry = pipelines.retryPendingPackage(RetryPendingPackageRequest.newBuilder().setPipeline("pending-retried")
                .setLoadId(pending.getLoadId()).build());
        Run retried = awaitEnd(retry.getId());
        assertEquals(RunState.COMPLETED, retried.getState(), retried.getError());
        assertEquals(Run.Trigger.RETRY, retried.getTrigger());
        assertEquals(List.of(ResumedLoad.newBuilder().setLoadId(pending.getLoadId()).setSealedByRun(failed.getId()).setRows(ITEMS)
                .addTables(io.sluice.proto.v1.TableSummary.newBuilder().setTable("items").setRows(ITEMS)).build()),
                retried.getSummary().getResumedLoadsList());
        assertTrue(watch(retried.getId()).stream().anyMatch(event -> event.hasLog() && event.getLog().getMessage().equals(
                "committed resumed load " + pending.getLoadId() + " of run " + failed.getId() + ": " + ITEMS + " rows (items " + ITEMS + ")")));
        assertEquals(retried.getId(), runs.getRun(GetRunRequest.newBuilder().setRunId(failed.getId()).build()).getResumedBy());
        assertEquals(List.of(), pipeline("pending-retried").getPendingPackagesList());
        // Three loads, each once: the first run's, the failed run's (committed by the retry), and the retry's own.
        assertEquals(List.of(List.of(pending.getLoadId(), String.valueOf(ITEMS))), DuckDbQueries.rows(database,
                "SELECT _sluice_load_id, count(*) FROM raw.items WHERE _sluice_load_id = '" + pending.getLoadId() + "' GROUP BY 1"));
        assertEquals(3L * ITEMS, DuckDbQueries.count(database, "SELECT count(*) FROM raw.items"));
        assertEquals(3, DuckDbQueries.count(database, "SELECT count(DISTINCT load_id) FROM raw._sluice_loads"));
    }

    @Test
    void aDiscardedPackageIsRemovedAndRecorded() throws Exception {
        Path database = config.dataDir().resolve("pending-discarded.duckdb");
        Run failed = failedCommit("pending-discarded", database);
        PendingPackage pending = onlyPending("pending-discarded");

        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> discard("pending-discarded", "nope"))
                .getStatus().getCode());
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class, () -> pipelines.discardPendingPackage(
                DiscardPendingPackageRequest.newBuilder().setPipeline("pending-discarded").setLoadId(pending.getLoadId()).build()))
                .getStatus().getCode(), "who discards is required");
        DiscardedPackage discarded = discard("pending-discarded", pending.getLoadId());
        assertEquals(pending.getLoadId(), discarded.getLoadId());
        assertEquals(failed.getId(), discarded.getSealedByRun());
        assertEquals(ITEMS, discarded.getRows());
        assertEquals("ops", discarded.getDiscardedBy());
        assertEquals("bad batch", discarded.getReason());
        assertFalse(Files.exists(Path.of(pending.getPath())));

        Pipeline shown = pipeline("pending-discarded");
        assertEquals(List.of(), shown.getPendingPackagesList());
        assertEquals(List.of(discarded), shown.getDiscardedPackagesList());
        assertEquals(List.of(discarded), pipelines.listPendingPackages(ListPendingPackagesRequest.newBuilder()
                .setPipeline("pending-discarded").build()).getDiscardedPackagesList());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> discard("pending-discarded",
                pending.getLoadId())).getStatus().getCode(), "a package is discarded once");

        BlockedCommits.unblock(database);
        Run next = trigger("pending-discarded");
        assertEquals(RunState.COMPLETED, next.getState(), next.getError());
        assertEquals(List.of(), next.getSummary().getResumedLoadsList(), "nothing of the discarded package is loaded");
        assertEquals(2L * ITEMS, DuckDbQueries.count(database, "SELECT count(*) FROM raw.items"));
    }

    /** Registers the pipeline, loads it once, then blocks its commits: the run it returns FAILED and left its package pending. */
    private Run failedCommit(String name, Path database) throws Exception {
        register(name, database);
        assertEquals(RunState.COMPLETED, trigger(name).getState());
        BlockedCommits.block(database);
        Run failed = trigger(name);
        assertEquals(RunState.FAILED, failed.getState());
        return failed;
    }

    private void register(String name, Path database) throws Exception {
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(Specs.files(name, BlockedCommits.items(ITEMS).toString(),
                "items.jsonl", database.toString())).build());
    }

    private DiscardedPackage discard(String pipeline, String loadId) {
        return pipelines.discardPendingPackage(DiscardPendingPackageRequest.newBuilder().setPipeline(pipeline).setLoadId(loadId)
                .setDiscardedBy("ops").setReason("bad batch").build());
    }

    private Pipeline pipeline(String name) {
        return pipelines.getPipeline(GetPipelineRequest.newBuilder().setName(name).build());
    }

    private PendingPackage onlyPending(String pipeline) {
        List<PendingPackage> pending = pipeline(pipeline).getPendingPackagesList();
        assertEquals(1, pending.size(), pending.toString());
        assertEquals(pending, pipelines.listPendingPackages(ListPendingPackagesRequest.newBuilder().setPipeline(pipeline).build())
                .getPendingPackagesList());
        return pending.getFirst();
    }

    private Run trigger(String pipeline) {
        return awaitEnd(runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline(pipeline).build()).getId());
    }

    private Run awaitEnd(String runId) {
        watch(runId);
        return runs.getRun(GetRunRequest.newBuilder().setRunId(runId).build());
    }

    private List<RunEvent> watch(String runId) {
        List<RunEvent> events = new ArrayList<>();
        runs.withDeadlineAfter(60, TimeUnit.SECONDS).watchRun(WatchRunRequest.newBuilder().setRunId(runId).build())
                .forEachRemaining(events::add);
        return events;
    }
}
