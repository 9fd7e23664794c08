package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.proto.v1.CancelRunRequest;
import io.sluice.proto.v1.CreatePipelineRequest;
import io.sluice.proto.v1.GetRunRequest;
import io.sluice.proto.v1.ListRunsRequest;
import io.sluice.proto.v1.LogLine;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.Run;
import io.sluice.proto.v1.RunEvent;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.proto.v1.RunState;
import io.sluice.proto.v1.Stage;
import io.sluice.proto.v1.TableProgress;
import io.sluice.proto.v1.TableSummary;
import io.sluice.proto.v1.TriggerRunRequest;
import io.sluice.proto.v1.WatchRunRequest;
import io.sluice.runs.SluiceConfig;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.Specs;
import jakarta.inject.Inject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
class RunServiceTest {
    /** Longer than any run of these tests takes; a watch still open then is stuck. */
    private static final Duration WATCH_DEADLINE = Duration.ofSeconds(90);

    @GrpcClient("sluice")
    PipelineServiceGrpc.PipelineServiceBlockingStub pipelines;

    @GrpcClient("sluice")
    RunServiceGrpc.RunServiceBlockingStub runs;

    @Inject
    SluiceConfig config;

    @Test
    void triggeredRunCompletesAndLoadsEveryRow() {
        register(Specs.samples("samples", "samples.duckdb"));
        Run run = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("samples").build());
        assertTrue(run.getState() == RunState.PENDING || run.getState() == RunState.RUNNING, run.getState().name());

        List<RunEvent> events = watch(run.getId());
        assertEquals(RunEvent.KindCase.SNAPSHOT, events.getFirst().getKindCase());
        assertEquals(RunState.COMPLETED, lastState(events));
        // The run starts as it is triggered: what progress it made before the watch began comes in the snapshot.
        List<TableProgress> progress = progressSeen(events);
        assertTrue(progress.stream().anyMatch(table -> table.getStage() == Stage.EXTRACT && table.getTable().equals("events")
                && table.getRows() > 0), "extract progress of table events with rows: " + events);
        assertTrue(events.stream().anyMatch(RunEvent::hasLog), "a log line among the events: " + events);
        RunEvent summary = events.stream().filter(RunEvent::hasSummary).findFirst().orElseThrow();
        assertEquals(Map.of("events", 18_000L, "events__tags", 18_189L, "customers", 5_000L),
                rowsPerTable(summary.getSummary().getTablesList()));
        assertEquals(List.of(Stage.EXTRACT, Stage.NORMALIZE, Stage.LOAD),
                summary.getSummary().getStagesList().stream().map(stage -> stage.getStage()).toList());
        assertEquals(Map.of("events", 18_000L, "events__tags", 18_189L, "customers", 5_000L), progress.stream()
                        .filter(table -> table.getStage() == Stage.NORMALIZE)
                        .collect(Collectors.toMap(TableProgress::getTable, TableProgress::getRows, (earlier, later) -> later)),
                "a watcher sees the normalize stage with the rows each table got, nested tables too: " + events);
        List<Stage> stagesSeen = progress.stream().map(TableProgress::getStage).distinct().toList();
        assertEquals(List.of(Stage.EXTRACT, Stage.NORMALIZE, Stage.LOAD), stagesSeen, "a watcher sees extract, then normalize, then load");

        Path database = config.dataDir().resolve("samples.duckdb");
        assertEquals(18_000, DuckDbQueries.count(database, "SELECT count(*) FROM shop.events"));
        assertEquals(5_000, DuckDbQueries.count(database, "SELECT count(*) FROM shop.customers"));
        String loadId = summary.getSummary().getLoadId();
        assertEquals(18_189, DuckDbQueries.count(database, "SELECT count(*) FROM shop.events__tags"));
        assertEquals(41_189, DuckDbQueries.count(database,
                "SELECT count(*) FROM (SELECT _sluice_load_id FROM shop.events UNION ALL SELECT _sluice_load_id FROM shop.customers"
                        + " UNION ALL SELECT _sluice_load_id FROM shop.events__tags) WHERE _sluice_load_id = '" + loadId + "'"));
        assertEquals(List.of(List.of(loadId, "samples", "0", "41189")), DuckDbQueries.rows(database,
                "SELECT load_id, pipeline, status, rows FROM shop._sluice_loads"));
        assertEquals(List.of(
                        List.of("_sluice_id", "VARCHAR"), List.of("event_id", "BIGINT"), List.of("type", "VARCHAR"),
                        List.of("customer_id", "BIGINT"), List.of("occurred_at", "TIMESTAMP WITH TIME ZONE"),
                        List.of("duration_ms", "BIGINT"), List.of("is_mobile", "BOOLEAN"), List.of("page__path", "VARCHAR"),
                        List.of("page__referrer", "VARCHAR"), List.of("amount", "DOUBLE"), List.of("campaign", "VARCHAR"),
                        List.of("_sluice_load_id", "VARCHAR")),
                DuckDbQueries.rows(database, "SELECT column_name, data_type FROM information_schema.columns"
                        + " WHERE table_schema = 'shop' AND table_name = 'events' ORDER BY ordinal_position"));
        assertEquals(List.of(List.of("600", "3571")), DuckDbQueries.rows(database,
                "SELECT count(campaign), count(amount) FROM shop.events"), "late and sparse columns keep every value");
        assertEquals(List.of(List.of("53", "null"), List.of("97", "\"Quoted, Name\" 97")), DuckDbQueries.rows(database,
                "SELECT customer_id, CASE customer_id WHEN 97 THEN full_name ELSE CAST(monthly_spend AS VARCHAR) END"
                        + " FROM shop.customers WHERE customer_id IN (53, 97) ORDER BY customer_id"),
                "an empty CSV field is NULL; quoted commas and quotes survive");

        Run stored = runs.getRun(GetRunRequest.newBuilder().setRunId(run.getId()).build());
        assertEquals(RunState.COMPLETED, stored.getState());
        assertEquals(41_189, stored.getSummary().getRows());
        assertTrue(stored.hasStartTime() && stored.hasEndTime(), "the stored run has start and end times: " + stored);
    }

    @Test
    void twoWatchersSeeTheSameRunToItsEnd() throws Exception {
        register(Specs.samples("watched", "watched.duckdb"));
        Run run = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("watched").build());
        CompletableFuture<List<RunEvent>> first = CompletableFuture.supplyAsync(() -> watch(run.getId()));
        CompletableFuture<List<RunEvent>> second = CompletableFuture.supplyAsync(() -> watch(run.getId()));
        for (List<RunEvent> events : List.of(first.get(), second.get())) {
            assertEquals(RunEvent.KindCase.SNAPSHOT, events.getFirst().getKindCase());
            assertEquals(RunState.COMPLETED, lastState(events));
            assertEquals(41_189, events.stream().filter(RunEvent::hasSummary).findFirst().orElseThrow().getSummary().getRows());
        }
    }

    @Test
    void aWatcherThatLeavesEarlyDoesNotHoldTheRunBack() throws IOException {
        Path input = manyItems(200_000);
        register(Specs.files("left", input.getParent().toString(), input.getFileName().toString(), "left.duckdb"));
        Run run = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("left").build());
        Context.CancellableContext leaving = Context.current().withCancellation();
        leaving.run(() -> {
            Iterator<RunEvent> events = watchStream(run.getId());
            events.next();
            leaving.cancel(null);
        });
        assertEquals(RunState.COMPLETED, lastState(watch(run.getId())));
        assertEquals(200_000, DuckDbQueries.count(config.dataDir().resolve("left.duckdb"), "SELECT count(*) FROM raw.items"));
    }

    @Test
    void cancelStopsARunAndCommitsNothing() throws IOException {
        Path input = manyItems(2_000_000);
        register(Specs.files("cancelled", input.getParent().toString(), input.getFileName().toString(), "cancelled.duckdb"));
        Run run = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("cancelled").build());
        Iterator<RunEvent> events = watchStream(run.getId());
        List<RunEvent> seen = new ArrayList<>();
        long started = System.nanoTime();
        while (events.hasNext()) {
            RunEvent event = events.next();
            seen.add(event);
            if (event.hasProgress() && event.getProgress().getRows() > 0) {
                Run cancelling = runs.cancelRun(CancelRunRequest.newBuilder().setRunId(run.getId()).build());
                assertTrue(cancelling.getState() == RunState.CANCELLING || cancelling.getState() == RunState.CANCELLED, "cancelling or cancelled, got " + cancelling.getState());
                started = System.nanoTime();
                break;
            }
        }
        events.forEachRemaining(seen::add);
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "cancel took effect promptly");
        assertEquals(RunState.CANCELLED, lastState(seen));
        Run stored = runs.getRun(GetRunRequest.newBuilder().setRunId(run.getId()).build());
        assertEquals(RunState.CANCELLED, stored.getState());
        assertFalse(stored.hasSummary(), "a cancelled run has no summary: " + stored);
        assertFalse(Files.exists(config.dataDir().resolve("cancelled.duckdb")), "nothing was loaded");
        StatusRuntimeException again = assertThrows(StatusRuntimeException.class,
                () -> runs.cancelRun(CancelRunRequest.newBuilder().setRunId(run.getId()).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, again.getStatus().getCode());
    }

    @Test
    void missingInputFailsTheRunNamingThePath() {
        register(Specs.files("missing", "deploy/samples", "nothing-here/*.jsonl", "missing.duckdb"));
        Run run = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("missing").build());
        List<RunEvent> events = watch(run.getId());
        assertEquals(RunState.FAILED, lastState(events));
        String error = runs.getRun(GetRunRequest.newBuilder().setRunId(run.getId()).build()).getError();
        assertTrue(error.contains("no files match glob 'nothing-here/*.jsonl'"), error);
        assertTrue(events.stream().anyMatch(event -> event.hasLog() && event.getLog().getMessage().contains("nothing-here")), "a log line names the missing files: " + events);
    }

    @Test
    void malformedRecordsAreCountedAndNamedWhileTheRestLoads() throws IOException {
        Path directory = Files.createTempDirectory("bad-json");
        Files.writeString(directory.resolve("items.jsonl"), "{\"id\": 1}\n{\"id\": 2}\n{\"id\": 3,,}\n[4]\n{\"id\": 5}\n");
        register(Specs.files("malformed", directory.toString(), "*.jsonl", "malformed.duckdb"));
        Run run = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("malformed").build());
        List<RunEvent> events = watch(run.getId());
        assertEquals(RunState.COMPLETED, lastState(events));
        TableSummary items = events.stream().filter(RunEvent::hasSummary).findFirst().orElseThrow().getSummary().getTables(0);
        assertEquals(3, items.getRows());
        assertEquals(2, items.getRejectedRecords());
        List<String> warnings = events.stream().filter(event -> event.hasLog() && event.getLog().getLevel() == LogLine.Level.WARN)
                .map(event -> event.getLog().getMessage()).toList();
        assertTrue(warnings.stream().anyMatch(message -> message.contains("items.jsonl:3: malformed JSON")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(message -> message.contains("items.jsonl:4: expected a JSON object")), warnings.toString());
        assertEquals(List.of(List.of("1"), List.of("2"), List.of("5")), DuckDbQueries.rows(config.dataDir().resolve("malformed.duckdb"),
                "SELECT id FROM raw.items ORDER BY id"));
    }

    @Test
    void unwritableDestinationFailsTheRunNamingThePath() throws IOException {
        Path blocker = Files.createTempFile("not-a-directory", "");
        register(Specs.files("unwritable", "deploy/samples", "customers.csv", blocker + "/inside/x.duckdb"));
        Run run = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("unwritable").build());
        assertEquals(RunState.FAILED, lastState(watch(run.getId())));
        String error = runs.getRun(GetRunRequest.newBuilder().setRunId(run.getId()).build()).getError();
        assertTrue(error.contains("cannot open DuckDB database " + blocker + "/inside/x.duckdb"), error);
    }

    @Test
    void aLoadThatFailedIsResumedFromItsPackageExactlyOnce() throws IOException {
        // A table in the way: its NOT NULL column fails the load after the package was sealed.
        Path database = config.dataDir().resolve("resumed.duckdb");
        DuckDbQueries.execute(database, "CREATE SCHEMA raw", "CREATE TABLE raw.items (blocker INTEGER NOT NULL)");
        register(Specs.files("resumed", "deploy/samples", "customers.csv", "resumed.duckdb"));
        Run failed = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("resumed").build());
        assertEquals(RunState.FAILED, lastState(watch(failed.getId())));
        Path packages = config.dataDir().resolve("packages").resolve("resumed");
        assertEquals(1, Files.list(packages).count(), "the normalized package is kept for the next run");
        Path kept = Files.list(packages).findFirst().orElseThrow();
        Path copy = Files.createTempDirectory("kept-package").resolve(kept.getFileName());
        copyTree(kept, copy);
        DuckDbQueries.execute(database, "DROP TABLE raw.items");

        Run resumed = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("resumed").build());
        List<RunEvent> events = watch(resumed.getId());
        assertEquals(RunState.COMPLETED, lastState(events));
        assertTrue(events.stream().anyMatch(event -> event.hasLog() && event.getLog().getMessage().startsWith("resuming load "
                + kept.getFileName())), "the run resumes load " + kept.getFileName() + ": " + events);
        assertEquals(10_000, DuckDbQueries.count(database, "SELECT count(*) FROM raw.items"), "the failed run's rows, and this run's");
        assertEquals(2, DuckDbQueries.count(database, "SELECT count(*) FROM raw._sluice_loads"));
        assertEquals(0, Files.list(packages).count());

        // As if a run had died after committing the package but before removing it.
        copyTree(copy, kept);
        Run third = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("resumed").build());
        List<RunEvent> thirdEvents = watch(third.getId());
        assertEquals(RunState.COMPLETED, lastState(thirdEvents));
        assertTrue(thirdEvents.stream().anyMatch(event -> event.hasLog()
                && event.getLog().getMessage().contains("was committed by an earlier run")), "the run finds the package's load committed: " + thirdEvents);
        assertEquals(15_000, DuckDbQueries.count(database, "SELECT count(*) FROM raw.items"), "never committed twice");
        assertEquals(15_000, DuckDbQueries.count(database, "SELECT count(DISTINCT _sluice_id) FROM raw.items"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void timeoutFailsTheRun() throws IOException {
        Path input = manyItems(2_000_000);
        register(Specs.files("slow", input.getParent().toString(), input.getFileName().toString(), "slow.duckdb").toBuilder()
                .setTimeout("300ms").build());
        Run run = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("slow").build());
        assertEquals(RunState.FAILED, lastState(watch(run.getId())));
        assertEquals("timed out after 0.3s", runs.getRun(GetRunRequest.newBuilder().setRunId(run.getId()).build()).getError());
    }

    @Test
    void requestIdMakesTriggerIdempotent() {
        register(Specs.samples("idempotent", "idempotent.duckdb"));
        TriggerRunRequest request = TriggerRunRequest.newBuilder().setPipeline("idempotent").setRequestId("deploy-42").build();
        Run first = runs.triggerRun(request);
        Run second = runs.triggerRun(request);
        assertEquals(first.getId(), second.getId());
        watch(first.getId());
    }

    @Test
    void concurrentTriggersWithOneRequestIdStartOneRun() throws Exception {
        register(Specs.samples("idempotent-race", "idempotent-race.duckdb"));
        TriggerRunRequest request = TriggerRunRequest.newBuilder().setPipeline("idempotent-race").setRequestId("deploy-43").build();
        int triggers = 6;
        CyclicBarrier together = new CyclicBarrier(triggers);
        Set<String> ids = new HashSet<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Run>> triggered = new ArrayList<>();
            for (int i = 0; i < triggers; i++) {
                triggered.add(threads.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return runs.triggerRun(request);
                }));
            }
            for (Future<Run> run : triggered) {
                ids.add(run.get(30, TimeUnit.SECONDS).getId());
            }
        }
        assertEquals(1, ids.size(), ids.toString());
        watch(ids.iterator().next());
        assertEquals(List.of(ids.iterator().next()), runs.listRuns(ListRunsRequest.newBuilder().setPipeline("idempotent-race").build())
                .getRunsList().stream().map(Run::getId).toList());
    }

    @Test
    void listFiltersByPipelineAndStateNewestFirst() {
        register(Specs.samples("listed", "listed.duckdb"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Run run = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("listed").build());
            watch(run.getId());
            ids.addFirst(run.getId());
        }
        List<String> listed = new ArrayList<>();
        String token = "";
        do {
            var page = runs.listRuns(ListRunsRequest.newBuilder().setPipeline("listed").addStates(RunState.COMPLETED)
                    .setPageSize(2).setPageToken(token).build());
            page.getRunsList().forEach(run -> listed.add(run.getId()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        assertEquals(ids, listed);
        assertEquals(0, runs.listRuns(ListRunsRequest.newBuilder().setPipeline("listed").addStates(RunState.FAILED).build())
                .getRunsCount());
    }

    @Test
    void watchingAnEndedRunReplaysItsStoredHistory() {
        register(Specs.samples("history", "history.duckdb"));
        Run run = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("history").build());
        List<RunEvent> live = watch(run.getId());
        List<RunEvent> replayed = watch(run.getId());
        assertEquals(RunState.COMPLETED, replayed.getFirst().getSnapshot().getRun().getState());
        assertEquals(live.stream().filter(event -> event.hasStateChange() || event.hasLog() || event.hasSummary()).toList()
                        .getLast().getSequence(),
                replayed.getLast().getSequence());
        assertTrue(replayed.stream().anyMatch(RunEvent::hasSummary), "the replay holds the summary: " + replayed);
    }

    @Test
    void unknownThingsAreNotFound() {
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                () -> runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("nobody").build())).getStatus().getCode());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                () -> runs.getRun(GetRunRequest.newBuilder().setRunId("nothing").build())).getStatus().getCode());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                () -> watch("nothing")).getStatus().getCode());
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class,
                () -> runs.triggerRun(TriggerRunRequest.newBuilder().build())).getStatus().getCode());
    }

    private void register(Pipeline pipeline) {
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(pipeline).build());
    }

    /** The run's events until it ends, the watch cut off by a deadline (DEADLINE_EXCEEDED) should it not end. */
    private Iterator<RunEvent> watchStream(String runId) {
        return runs.withDeadlineAfter(WATCH_DEADLINE.toSeconds(), TimeUnit.SECONDS)
                .watchRun(WatchRunRequest.newBuilder().setRunId(runId).build());
    }

    private List<RunEvent> watch(String runId) {
        List<RunEvent> events = new ArrayList<>();
        try {
            watchStream(runId).forEachRemaining(events::add);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                throw new AssertionError("run " + runId + " did not end within " + WATCH_DEADLINE.toSeconds()
                        + " s; its latest events: " + events.subList(Math.max(0, events.size() - 5), events.size()), e);
            }
            throw e;
        }
        return events;
    }

    private static RunState lastState(List<RunEvent> events) {
        RunState state = RunState.RUN_STATE_UNSPECIFIED;
        for (RunEvent event : events) {
            if (event.hasSnapshot()) {
                state = event.getSnapshot().getRun().getState();
            } else if (event.hasStateChange()) {
                state = event.getStateChange().getTo();
            }
        }
        return state;
    }

    private static Map<String, Long> rowsPerTable(List<TableSummary> tables) {
        return tables.stream().collect(Collectors.toMap(TableSummary::getTable, TableSummary::getRows));
    }

    /** A JSONL file of {@code count} small items, for runs that take a while. */
    private static Path manyItems(int count) throws IOException {
        Path file = Files.createTempDirectory("many").resolve("items.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < count; i++) {
                out.write("{\"id\":" + i + ",\"name\":\"item " + i + "\",\"price\":" + (i % 100) + ".5}\n");
            }
        }
        return file;
    }

    /** The progress a watcher saw: the snapshot's (made before the watch began), then each progress event, in order. */
    private static List<TableProgress> progressSeen(List<RunEvent> events) {
        return events.stream().flatMap(event -> event.hasSnapshot() ? event.getSnapshot().getTablesList().stream()
                : event.hasProgress() ? Stream.of(event.getProgress()) : Stream.empty()).toList();
    }
}
