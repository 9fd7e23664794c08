package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.proto.v1.CancelRunRequest;
import io.sluice.proto.v1.CreatePipelineRequest;
import io.sluice.proto.v1.DatasetSchema;
import io.sluice.proto.v1.DatasetServiceGrpc;
import io.sluice.proto.v1.GetRunRequest;
import io.sluice.proto.v1.GetSchemaRequest;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.Run;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.proto.v1.RunState;
import io.sluice.proto.v1.SchemaVersion;
import io.sluice.proto.v1.TriggerRunRequest;
import io.sluice.pipeline.SpecReader;
import io.sluice.runs.RecordedEvent;
import io.sluice.runs.RunEvent;
import io.sluice.runs.RunExecutor;
import io.sluice.runs.RunWatch;
import io.sluice.runs.SluiceConfig;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.EndedRun;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.PostgresPassword;
import io.sluice.testing.PostgresServer;
import jakarta.inject.Inject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs of one pipeline triggered at the same moment take turns, first triggered first, so they end as if run one
 * after the other — the wedge (two runs claiming one schema version, the loser's package failing every later
 * run) cannot happen — and a run waiting for its turn says so.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
@QuarkusTestResource(PostgresPassword.class)
class ConcurrentTriggersTest {
    private static final int TRIGGERS = 6;
    private static final int ROWS_PER_BATCH = 50;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @GrpcClient("sluice")
    PipelineServiceGrpc.PipelineServiceBlockingStub pipelines;

    @GrpcClient("sluice")
    RunServiceGrpc.RunServiceBlockingStub runs;

    @GrpcClient("sluice")
    DatasetServiceGrpc.DatasetServiceBlockingStub datasets;

    @Inject
    RunExecutor executor;

    @Inject
    SluiceConfig config;

    @ParameterizedTest(name = "into {0}")
    @ValueSource(strings = {"duckdb", "postgres"})
    void concurrentTriggersEndAsIfRunOneAfterTheOther(String kind) throws Exception {
        String dataset = "turns_" + kind;
        String pipeline = dataset.replace('_', '-');
        Path input = Files.createTempDirectory(dataset);
        Function<String, Long> count;
        String destination;
        if (kind.equals("duckdb")) {
            Path database = config.dataDir().resolve(dataset + "_file.duckdb");
            destination = "{ duckdb: { path: " + database + " }, dataset: " + dataset + " }";
            count = sql -> DuckDbQueries.count(database, sql);
        } else {
            PostgresServer.dropDataset(dataset);
            destination = PostgresServer.destination(PostgresPassword.SECRET, dataset);
            count = PostgresServer::count;
        }
        // Incremental on id: each run loads the batches written since the last one committed, whichever they are.
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(SpecReader.parse("""
                name: %s
                source:
                  filesystem:
                    base_path: "%s"
                    resources: [ { name: items, glob: "*.jsonl", incremental: { cursor_path: id } } ]
                destination: %s
                """.formatted(pipeline, input, destination), pipeline)).build());

        writeBatch(input, 1);
        List<Run> triggered = new ArrayList<>();
        for (int trigger = 1; trigger <= TRIGGERS; trigger++) {
            triggered.add(trigger(pipeline));
        }
        long loaded = 0;
        Instant previousEnd = Instant.MIN;
        for (int turn = 1; turn <= TRIGGERS; turn++) {
            Run run = triggered.get(turn - 1);
            if (turn < TRIGGERS) {
                // The next batch, with its new column, arrives while this run loads what it read: the next run,
                // waiting for its turn, reads it and changes the schema again. (A run of 50 rows may end before the
                // batch is written; then the run after it reads nothing and a later one reads the batch.)
                awaitLoading(run.getId());
                writeBatch(input, turn + 1);
            }
            EndedRun ended = EndedRun.watch(executor, executor.get(run.getId()));
            assertEquals(io.sluice.catalog.RunState.COMPLETED, ended.run().state(), ended.run().error());
            Instant start = ended.run().startTime().orElseThrow();
            assertFalse(start.isBefore(previousEnd), "run " + turn + " started after run " + (turn - 1) + " ended, in trigger order");
            previousEnd = ended.run().endTime().orElseThrow();
            loaded += ended.run().summary().orElseThrow().rows();
        }
        long versionsOfTheSix = assertContiguousVersions(pipeline);

        // A later run reads whatever batch the six had not yet read (none when each batch came before the next run).
        writeBatch(input, TRIGGERS + 1);
        Run later = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline(pipeline).build());
        EndedRun ended = EndedRun.watch(executor, executor.get(later.getId()));
        assertEquals(io.sluice.catalog.RunState.COMPLETED, ended.run().state(), ended.run().error());
        loaded += ended.run().summary().orElseThrow().rows();
        long rows = (long) (TRIGGERS + 1) * ROWS_PER_BATCH;
        assertEquals(rows, loaded, "the runs loaded every item once between them");
        assertEquals(rows, count.apply("SELECT count(DISTINCT id) FROM " + dataset + ".items"));
        assertEquals(rows, count.apply("SELECT count(*) FROM " + dataset + ".items"));
        for (int batch = 1; batch <= TRIGGERS + 1; batch++) {
            assertEquals(ROWS_PER_BATCH, count.apply("SELECT count(field_" + batch + ") FROM " + dataset + ".items"),
                    "batch " + batch + "'s column holds its values");
        }
        long versions = assertContiguousVersions(pipeline);
        assertEquals(versionsOfTheSix + 1, versions, "the later run's new column is one version more");
        assertTrue(versions >= 2, "the schema evolved between the runs: " + versions + " version(s)");
    }

    @Test
    void aRunWaitsPendingForTheRunAheadOfItAndSaysWhy() throws Exception {
        String pipeline = "turn-wait";
        Path input = Files.createTempDirectory(pipeline).resolve("items.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(input)) {
            for (int i = 0; i < 2_000_000; i++) {
                out.write("{\"id\":" + i + ",\"name\":\"item " + i + "\"}\n");
            }
        }
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(SpecReader.parse("""
                name: %s
                source: { filesystem: { base_path: "%s", resources: [ { name: items, glob: items.jsonl } ] } }
                destination: { duckdb: { path: turn_wait.duckdb }, dataset: raw }
                """.formatted(pipeline, input.getParent()), pipeline)).build());
        Run first = trigger(pipeline);
        awaitRun(first.getId(), run -> run.getState() == RunState.RUNNING);
        Run second = trigger(pipeline);
        Run third = trigger(pipeline);
        String reason = "waiting for run " + first.getId() + " of pipeline " + pipeline + " to end (runs of one pipeline take turns)";
        for (Run waiting : List.of(second, third)) {
            Run shown = awaitRun(waiting.getId(), run -> !run.getPendingReason().isEmpty());
            assertEquals(RunState.PENDING, shown.getState());
            assertEquals(reason, shown.getPendingReason());
        }

        runs.cancelRun(CancelRunRequest.newBuilder().setRunId(third.getId()).build());
        EndedRun cancelledWaiting = EndedRun.watch(executor, executor.get(third.getId()));
        assertEquals(io.sluice.catalog.RunState.CANCELLED, cancelledWaiting.run().state());
        assertTrue(cancelledWaiting.run().startTime().isEmpty(), "cancelled while it waited, it never started");
        assertTrue(cancelledWaiting.events().contains(new RunEvent.StateChanged(io.sluice.catalog.RunState.PENDING,
                io.sluice.catalog.RunState.PENDING, reason)), "watchers were told why it waited: " + cancelledWaiting.events());

        runs.cancelRun(CancelRunRequest.newBuilder().setRunId(first.getId()).build());
        Run started = awaitRun(second.getId(), run -> run.getState() == RunState.RUNNING);
        assertEquals("", started.getPendingReason(), "the reason is cleared when the run starts");
        runs.cancelRun(CancelRunRequest.newBuilder().setRunId(second.getId()).build());
        assertEquals(io.sluice.catalog.RunState.CANCELLED, EndedRun.watch(executor, executor.get(second.getId())).run().state());
    }

    /** Returns once the run has read its input and sealed its package (or has ended). */
    private void awaitLoading(String runId) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try (RunWatch watch = executor.watch(runId)) {
            while (!watch.finished()) {
                assertTrue(System.nanoTime() < deadline, "run " + runId + " did not seal its package in " + DEADLINE);
                if (watch.next(Duration.ofMillis(50)).map(RecordedEvent::event)
                        .filter(event -> event instanceof RunEvent.LogLine line && line.message().startsWith("loading "))
                        .isPresent()) {
                    return;
                }
            }
        }
    }

    private Run trigger(String pipeline) {
        return runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline(pipeline).build());
    }

    /** The run as soon as it matches, through GetRun; fails past the deadline. */
    private Run awaitRun(String runId, Predicate<Run> condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            Run run = runs.getRun(GetRunRequest.newBuilder().setRunId(runId).build());
            if (condition.test(run)) {
                return run;
            }
            assertTrue(System.nanoTime() < deadline, "run " + runId + " did not get there in " + DEADLINE + ": " + run);
            Thread.sleep(20);
        }
    }

    /** The stored versions are 1, 2, … with none missing or twice; returns the newest. */
    private long assertContiguousVersions(String pipeline) {
        DatasetSchema schema = datasets.getSchema(GetSchemaRequest.newBuilder().setPipeline(pipeline).build());
        List<Long> versions = schema.getVersionsList().stream().map(SchemaVersion::getVersion).toList();
        assertEquals(LongStream.iterate(schema.getVersion(), version -> version - 1).limit(schema.getVersion()).boxed().toList(), versions);
        assertTrue(schema.getVersion() >= 1);
        return schema.getVersion();
    }

    /**
     * Batch {@code batch}: its ids follow the last batch's, and it brings a column of its own ({@code field_<batch>}),
     * so every run that loads it changes the schema. Written beside and moved into place, so a run reads it whole or not.
     */
    private static void writeBatch(Path directory, int batch) throws IOException {
        Path written = directory.resolve("batch-" + batch + ".part");
        try (BufferedWriter out = Files.newBufferedWriter(written)) {
            for (int i = 1; i <= ROWS_PER_BATCH; i++) {
                long id = (long) (batch - 1) * ROWS_PER_BATCH + i;
                out.write("{\"id\": " + id + ", \"field_" + batch + "\": \"value " + id + "\"}\n");
            }
        }
        Files.move(written, directory.resolve("batch-" + batch + ".jsonl"), StandardCopyOption.ATOMIC_MOVE);
    }
}
