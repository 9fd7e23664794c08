package io.sluice.api;

import static io.sluice.testing.PrometheusSamples.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.pipeline.SpecReader;
import io.sluice.proto.v1.CancelRunRequest;
import io.sluice.proto.v1.CreatePipelineRequest;
import io.sluice.proto.v1.GetRunRequest;
import io.sluice.proto.v1.ListRunsRequest;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.Run;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.proto.v1.RunState;
import io.sluice.proto.v1.TriggerRunRequest;
import io.sluice.runs.ConcurrencyLimits;
import io.sluice.runs.LimitUsage;
import io.sluice.testing.Await;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.GatedApi;
import io.sluice.testing.PostgresPassword;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrency through the real gRPC API: each overlap policy, max_active_runs above one, a named limit shared by two
 * pipelines, what a waiting run says holds it, and every slot given back however a run ends. The runs read from a
 * local HTTP server whose answers the test holds back, so a run stays RUNNING exactly as long as the test wants.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
@QuarkusTestResource(PostgresPassword.class)
class ConcurrencyTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @GrpcClient("sluice")
    PipelineServiceGrpc.PipelineServiceBlockingStub pipelines;

    @GrpcClient("sluice")
    RunServiceGrpc.RunServiceBlockingStub runs;

    @Inject
    ConcurrencyLimits limits;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    private GatedApi api;

    @BeforeEach
    void startApi() throws Exception {
        api = new GatedApi();
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    @Test
    void queueMakesTheSecondRunWaitNamingTheFirstThenRunIt() throws Exception {
        Run first = createAndStart("queued", "concurrency: { max_active_runs: 1, on_overlap: QUEUE }");
        Run second = trigger("queued");
        // max_active_runs 1 with QUEUE is what every pipeline without a concurrency spec does: its runs take turns.
        String reason = "waiting for run " + first.getId() + " of pipeline queued to end (runs of one pipeline take turns)";
        assertEquals(reason, awaitRun(second, run -> !run.getPendingReason().isEmpty()).getPendingReason());
        Run listed = runs.listRuns(ListRunsRequest.newBuilder().setPipeline("queued").build()).getRunsList().stream()
                .filter(run -> run.getId().equals(second.getId())).findFirst().orElseThrow();
        assertEquals(RunState.PENDING, listed.getState());
        assertEquals(reason, listed.getPendingReason(), "ListRuns says what holds it too");

        api.open("queued");
        awaitRun(first, RunState.COMPLETED);
        assertEquals("", awaitRun(second, RunState.COMPLETED).getPendingReason());
        awaitSlotsFree();
    }

    @Test
    void skipEndsTheNewRunSkippedSayingWhichRunWasActive() throws Exception {
        Run first = createAndStart("skipping", "concurrency: { max_active_runs: 1, on_overlap: SKIP }");
        Run second = trigger("skipping");
        assertEquals(RunState.SKIPPED, second.getState());
        assertEquals("skipped: pipeline skipping already has 1 active run " + first.getId() + " (max_active_runs 1, on_overlap SKIP)",
                second.getError());
        assertEquals(RunState.SKIPPED, getRun(second).getState(), "stored SKIPPED");

        completeAndFreeSlots("skipping", first);
    }

    @Test
    void cancelRunningCancelsTheActiveRunThenRunsTheNewOne() throws Exception {
        Run first = createAndStart("replacing", "concurrency: { on_overlap: CANCEL_RUNNING }");
        Run second = trigger("replacing");
        Run cancelled = awaitRun(first, RunState.CANCELLED);
        assertEquals("cancelled by run " + second.getId() + " (on_overlap CANCEL_RUNNING)", cancelled.getError());
        awaitRun(second, RunState.RUNNING);

        completeAndFreeSlots("replacing", second);
    }

    @Test
    void maxActiveRunsTwoLetsTwoRunAtOnceAndTheThirdWaitsForEither() throws Exception {
        create("pair", "concurrency: { max_active_runs: 2 }");
        Run first = trigger("pair");
        Run second = trigger("pair");
        awaitRun(first, RunState.RUNNING);
        awaitRun(second, RunState.RUNNING);
        Run third = trigger("pair");
        assertEquals("waiting for one of runs " + first.getId() + ", " + second.getId() + " of pipeline pair to end"
                + " (its concurrency.max_active_runs is 2)", awaitRun(third, run -> !run.getPendingReason().isEmpty()).getPendingReason());
        LimitUsage pair = usage(LimitUsage.Kind.PIPELINE, "pair");
        assertEquals(List.of(first.getId(), second.getId()), pair.holding());
        assertEquals(List.of(third.getId()), pair.waiting());

        api.open("pair");
        for (Run run : List.of(first, second, third)) {
            awaitRun(run, RunState.COMPLETED);
        }
        awaitSlotsFree();
    }

    @Test
    void aNamedLimitOfOneSerialisesTwoPipelinesAndTheWaitingRunNamesTheHolder() throws Exception {
        create("billing-a", "concurrency: { limits: [shared-api] }");
        create("billing-b", "concurrency: { limits: [shared-api] }");
        Run first = triggerRunning("billing-a");
        Run second = trigger("billing-b");
        assertEquals("waiting for a slot of limit shared-api (sluice.limits.shared-api): all 1 held by run " + first.getId(),
                awaitRun(second, run -> !run.getPendingReason().isEmpty()).getPendingReason());
        assertEquals(RunState.PENDING, getRun(second).getState());
        assertEquals(List.of(first.getId()), usage(LimitUsage.Kind.NAMED, "shared-api").holding());
        String scraped = scrape();
        assertEquals(1.0, sample(scraped, "sluice_limit_slots", Map.of("limit", "shared-api", "state", "used")), scraped);
        assertEquals(0.0, sample(scraped, "sluice_limit_slots", Map.of("limit", "shared-api", "state", "free")), scraped);
        assertEquals(1.0, sample(scraped, "sluice_limit_slots", Map.of("limit", "shared-api", "state", "waiting")), scraped);

        api.open("billing-a");
        awaitRun(first, RunState.COMPLETED);
        awaitRun(second, RunState.RUNNING);
        completeAndFreeSlots("billing-b", second);
        String after = scrape();
        assertEquals(0.0, sample(after, "sluice_limit_slots", Map.of("limit", "shared-api", "state", "used")), after);
        assertEquals(0.0, sample(after, "sluice_limit_slots", Map.of("limit", "shared-api", "state", "waiting")), after);
    }

    @Test
    void aWaitingRunNamesTheRunHoldingItsLimitNowInGetRunAndListRuns() throws Exception {
        create("relay-a", "concurrency: { limits: [shared-api] }");
        create("relay-b", "concurrency: { limits: [shared-api] }");
        create("relay-c", "concurrency: { limits: [shared-api] }");
        Run first = triggerRunning("relay-a");
        Run second = trigger("relay-b");
        awaitRun(second, run -> !run.getPendingReason().isEmpty());
        Run third = trigger("relay-c");
        String heldBy = "waiting for a slot of limit shared-api (sluice.limits.shared-api): all 1 held by run ";
        assertEquals(heldBy + first.getId(), awaitRun(third, run -> !run.getPendingReason().isEmpty()).getPendingReason());
        assertEquals(List.of(second.getId(), third.getId()), usage(LimitUsage.Kind.NAMED, "shared-api").waiting(), "in trigger order");

        api.open("relay-a");
        awaitRun(first, RunState.COMPLETED);
        awaitRun(second, RunState.RUNNING);
        assertEquals(heldBy + second.getId(), getRun(third).getPendingReason(), "GetRun names the run holding the slot now");
        Run listed = runs.listRuns(ListRunsRequest.newBuilder().setPipeline("relay-c").build()).getRunsList().stream()
                .filter(run -> run.getId().equals(third.getId())).findFirst().orElseThrow();
        assertEquals(heldBy + second.getId(), listed.getPendingReason(), "ListRuns too");

        api.open("relay-b");
        awaitRun(second, RunState.COMPLETED);
        completeAndFreeSlots("relay-c", third);
    }

    @Test
    void aPipelineNamingAnUnknownLimitIsInvalidWithItsFieldPath() {
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> create("unlimited", "concurrency: { limits: [shared-api, nowhere] }"));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertEquals(List.of("concurrency.limits[1]"), PipelineServiceTest.violations(refused));
    }

    @Test
    void everySlotIsGivenBackWhenARunFailsIsCancelledOrTimesOut() throws Exception {
        Run failing = createAndStart("limited-failing", "concurrency: { limits: [shared-api] }");
        api.refuse("limited-failing", 400);
        awaitRun(failing, RunState.FAILED);
        awaitSlotsFree();

        Run running = createAndStart("limited-cancelled", "concurrency: { limits: [shared-api] }");
        Run waiting = trigger("limited-cancelled");
        awaitRun(waiting, run -> !run.getPendingReason().isEmpty());
        runs.cancelRun(CancelRunRequest.newBuilder().setRunId(waiting.getId()).build());
        runs.cancelRun(CancelRunRequest.newBuilder().setRunId(running.getId()).build());
        awaitRun(waiting, RunState.CANCELLED);
        awaitRun(running, RunState.CANCELLED);
        awaitSlotsFree();

        // Long enough for the run to be waiting for its answer when it times out.
        create("limited-slow", "timeout: 3s\nconcurrency: { limits: [shared-api] }");
        Run slow = trigger("limited-slow");
        assertTrue(awaitRun(slow, RunState.FAILED).getError().startsWith("timed out"), getRun(slow).getError());
        awaitSlotsFree();
    }

    private void create(String pipeline, String concurrency) {
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(SpecReader.parse("""
                name: %s
                source:
                  rest_api:
                    base_url: "%s"
                    client: { timeout: 90s, retries: { max_attempts: 1 } }
                    resources: [ { name: items } ]
                destination: { duckdb: { path: %s.duckdb }, dataset: raw }
                %s
                """.formatted(pipeline, api.url(pipeline), pipeline, concurrency), pipeline)).build());
    }

    private Run trigger(String pipeline) {
        return runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline(pipeline).build());
    }

    /** Creates the pipeline, then triggers its first run and returns it once it is RUNNING (waiting for its gate). */
    private Run createAndStart(String pipeline, String concurrency) throws Exception {
        create(pipeline, concurrency);
        return triggerRunning(pipeline);
    }

    /** Triggers a run and returns once it is RUNNING (waiting for its gate). */
    private Run triggerRunning(String pipeline) throws Exception {
        Run run = trigger(pipeline);
        awaitRun(run, RunState.RUNNING);
        return run;
    }

    /** Opens the pipeline's gate, waits for the run to complete, then for every slot to be free. */
    private void completeAndFreeSlots(String pipeline, Run run) throws Exception {
        api.open(pipeline);
        awaitRun(run, RunState.COMPLETED);
        awaitSlotsFree();
    }

    private Run getRun(Run run) {
        return runs.getRun(GetRunRequest.newBuilder().setRunId(run.getId()).build());
    }

    private Run awaitRun(Run run, RunState state) throws Exception {
        return awaitRun(run, seen -> seen.getState() == state);
    }

    /** The run as GetRun shows it once it matches; fails past the deadline. */
    private Run awaitRun(Run run, Predicate<Run> condition) throws Exception {
        return Await.until("run " + run.getId() + " of " + run.getPipeline(), DEADLINE, () -> getRun(run), condition);
    }

    /** The Prometheus metrics as a scraper reads them. */
    private String scrape() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private LimitUsage usage(LimitUsage.Kind kind, String name) {
        return limits.snapshot().stream().filter(usage -> usage.kind() == kind && usage.name().equals(name)).findFirst().orElseThrow();
    }

    /** Every limit ends with no run holding or waiting for it: a run's slots are given back after it has ended. */
    private void awaitSlotsFree() throws Exception {
        Await.until("every slot given back", DEADLINE, limits::snapshot,
                usages -> usages.stream().allMatch(usage -> usage.runs() == 0));
    }
}
