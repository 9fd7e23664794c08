package io.sluice.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.PipelineRegistry;
import io.sluice.pipeline.SpecReader;
import io.sluice.proto.v1.CreatePipelineRequest;
import io.sluice.proto.v1.GetPipelineRequest;
import io.sluice.proto.v1.GetRunRequest;
import io.sluice.proto.v1.ListRunsRequest;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.Run;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.proto.v1.RunState;
import io.sluice.testing.Await;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.MovableClock;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pipeline registered with a schedule through the real gRPC API runs when its slot comes, and its rows are loaded. */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
class ScheduledRunEndToEndTest {
    @GrpcClient("sluice")
    PipelineServiceGrpc.PipelineServiceBlockingStub pipelines;

    @GrpcClient("sluice")
    RunServiceGrpc.RunServiceBlockingStub runs;

    @Inject
    CatalogStore store;

    @Inject
    PipelineRegistry registry;

    @Inject
    RunExecutor executor;

    @Inject
    RunOwners owners;

    @Test
    void aScheduledSlotRunsToCompletionAndTheNextWaitsScheduled() throws Exception {
        Pipeline pipeline = SpecReader.parse("""
                name: scheduled-samples
                schedules: [ { cron: "*/5 * * * *" } ]
                source:
                  filesystem:
                    base_path: deploy/samples
                    resources: [ { name: customers, glob: customers.csv } ]
                destination: { duckdb: { path: scheduled-samples.duckdb }, dataset: shop }
                """, "");
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(pipeline).build());
        List<Instant> next = pipelines.getPipeline(GetPipelineRequest.newBuilder().setName("scheduled-samples").build())
                .getNextRunTimesList().stream().map(time -> Instant.ofEpochSecond(time.getSeconds(), time.getNanos())).toList();
        assertEquals(5, next.size(), next.toString());
        assertTrue(next.stream().allMatch(time -> time.getEpochSecond() % 300 == 0), next.toString());

        Instant slot = Instant.parse("2026-01-05T00:00:00Z");
        MovableClock clock = new MovableClock(slot.minusSeconds(30));
        Scheduler scheduler = new Scheduler(store, registry, executor, owners, clock);
        try {
            tickThroughTheSlot(scheduler, clock, slot);
        } finally {
            // Its tick term ends with the test: another test's scheduler, whose clock may read the same day, ticks at once.
            scheduler.close();
        }
    }

    private void tickThroughTheSlot(Scheduler scheduler, MovableClock clock, Instant slot) throws Exception {
        scheduler.tick();
        List<Run> waiting = list();
        assertEquals(1, waiting.size(), waiting.toString());
        assertEquals(RunState.SCHEDULED, waiting.getFirst().getState());
        assertEquals("schedule:*/5 * * * *@" + slot, waiting.getFirst().getRequestId());

        clock.set(slot);
        scheduler.tick();
        Run ended = Await.until("the scheduled run to end", Duration.ofSeconds(120),
                () -> runs.getRun(GetRunRequest.newBuilder().setRunId(waiting.getFirst().getId()).build()),
                run -> run.getState() == RunState.COMPLETED || run.getState() == RunState.FAILED);
        assertEquals(RunState.COMPLETED, ended.getState(), ended.getError());
        assertEquals(Run.Trigger.SCHEDULE, ended.getTrigger());
        assertEquals(5_000, ended.getSummary().getRows());
        List<Run> after = list();
        assertEquals(List.of(RunState.SCHEDULED, RunState.COMPLETED), after.stream().map(Run::getState).toList(),
                "the next slot waits SCHEDULED");
    }

    private List<Run> list() {
        return runs.listRuns(ListRunsRequest.newBuilder().setPipeline("scheduled-samples").build()).getRunsList();
    }
}
