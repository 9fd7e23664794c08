package io.sluice.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FileDataSource;
import io.sluice.testing.PostgresServer;
import org.junit.jupiter.api.Test;

class JdbcCatalogStoreTest {
    @Test
    void aNewStoreOnTheSameFileSeesEverythingStored() throws Exception {
        Path file = Files.createTempDirectory("catalog").resolve("catalog.duckdb");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RunSummary summary = new RunSummary(List.of(new RunSummary.TableRows("events", 3)),
                List.of(new RunSummary.StageTime(Stage.EXTRACT, Duration.ofMillis(12))), 3, 99, Duration.ofMillis(20), "load-1", 1024,
                List.of(new RunSummary.ResumedLoad("load-0", "run-0", 2, List.of(new RunSummary.TableRows("events", 2)))));
        Run run = new Run("run-1", "orders", RunState.COMPLETED, Trigger.API, "request-1", now, Optional.of(now),
                Optional.of(now.plusSeconds(1)), "", 1, Optional.of(summary),
                Optional.of(new Refresh(Refresh.Mode.DROP_RESOURCES, List.of("lines"))), "", "");
        PipelineRecord pipeline = new PipelineRecord("orders", "{\"name\":\"orders\"}", "etag-1", now, now);
        StoredEvent event = new StoredEvent("run-1", 1, now, "LogLine", "{\"level\":\"INFO\",\"message\":\"hello\"}");

        JdbcCatalogStore before = open(file);
        before.insertPipeline(pipeline);
        before.insertRun(run, "owner");
        before.appendEvent(event);

        JdbcCatalogStore after = open(file);
        assertEquals(Optional.of(pipeline), after.pipeline("orders"));
        assertEquals(Optional.of(run), after.run("run-1"));
        assertEquals(Optional.of(run), after.runByRequestId("orders", "request-1"));
        assertEquals(List.of(event), after.events("run-1"));
    }

    @Test
    void replaceComparesTheEtagAndInsertRefusesDuplicates() throws Exception {
        JdbcCatalogStore store = open(Files.createTempDirectory("catalog").resolve("catalog.duckdb"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        store.insertPipeline(new PipelineRecord("orders", "{}", "one", now, now));
        assertThrows(AlreadyExistsException.class, () -> store.insertPipeline(new PipelineRecord("orders", "{}", "x", now, now)));
        assertFalse(store.replacePipeline(new PipelineRecord("orders", "{\"a\":1}", "two", now, now), "stale"), "a stale etag replaces nothing");
        assertTrue(store.replacePipeline(new PipelineRecord("orders", "{\"a\":1}", "two", now, now), "one"), "the current etag replaces the pipeline");
        assertEquals("two", store.pipeline("orders").orElseThrow().etag());
        assertTrue(store.deletePipeline("orders"), "a stored pipeline is deleted");
        assertFalse(store.deletePipeline("orders"), "a deleted pipeline is deleted once");
    }

    @Test
    void oneSchedulerHoldsTheTickTermUntilItEndsThenAnotherTakesOver() throws Exception {
        JdbcCatalogStore store = open(Files.createTempDirectory("catalog").resolve("catalog.duckdb"));
        Instant now = Instant.parse("2026-01-05T00:00:00Z");
        Duration term = Duration.ofSeconds(10);
        assertTrue(store.holdTickTerm("one", now, term), "the first term there is goes to the first that asks");
        assertFalse(store.holdTickTerm("other", now.plusSeconds(5), term), "another waits while the term runs");
        assertTrue(store.holdTickTerm("one", now.plusSeconds(9), term), "the holder renews its term");
        assertFalse(store.holdTickTerm("other", now.plusSeconds(15), term), "the renewed term runs until 19 s");
        assertTrue(store.holdTickTerm("other", now.plusSeconds(20), term), "a term the holder stopped renewing is taken over");
        assertFalse(store.holdTickTerm("one", now.plusSeconds(21), term), "the old holder is now the one that waits");
        assertTrue(store.holdTickTerm("one", now.minusSeconds(60), term),
                "a term ending further away than a term was set by a clock ahead of this one's: it is taken over");
        store.releaseTickTerm("other");
        assertTrue(store.holdTickTerm("one", now.minusSeconds(55), term), "one's term is not another's to release");
        assertFalse(store.holdTickTerm("other", now.minusSeconds(54), term));
        store.releaseTickTerm("one");
        assertTrue(store.holdTickTerm("other", now.minusSeconds(54), term), "a released term is taken at once");
    }

    @Test
    void ofSchedulersAskingForTheTickTermAtOnceOneGetsIt() throws Exception {
        Path file = Files.createTempDirectory("catalog").resolve("catalog.duckdb");
        JdbcCatalogStore store = open(file);
        Instant now = Instant.parse("2026-01-05T00:00:00Z");
        ExecutorService askers = Executors.newFixedThreadPool(4);
        // One connection held open, as the service's pool holds them: DuckDB then shares the open database with every
        // other connection instead of four threads racing to open the file at once.
        try (java.sql.Connection held = new FileDataSource(file).getConnection()) {
            for (int round = 0; round < 20; round++) {
                Instant at = now.plus(Duration.ofMinutes(round));
                CyclicBarrier together = new CyclicBarrier(4);
                List<Future<Boolean>> asked = new ArrayList<>();
                for (int asker = 0; asker < 4; asker++) {
                    String holder = "scheduler-" + round + "-" + asker;
                    asked.add(askers.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        return store.holdTickTerm(holder, at, Duration.ofSeconds(10));
                    }));
                }
                int holders = 0;
                for (Future<Boolean> answer : asked) {
                    holders += answer.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, holders, "round " + round + ": one holder at a time");
            }
        } finally {
            askers.shutdownNow();
        }
    }

    @Test
    void aRunItsEventsAndItsLogLinesAreStoredTogetherOrNotAtAll() throws Exception {
        JdbcCatalogStore store = open(Files.createTempDirectory("catalog").resolve("catalog.duckdb"));
        Run pending = run("run-1", "orders", "");
        store.insertRun(pending, "owner");
        Instant now = pending.createTime();
        Run running = pending.started(now);
        StoredLogLine line = new StoredLogLine("run-1", 1, now, "INFO", "", "hello");
        StoredEvent started = new StoredEvent("run-1", 2, now, "StateChanged", "{\"from\":\"PENDING\",\"to\":\"RUNNING\"}");

        store.storeRunChanges(Optional.of(running), List.of(started), List.of(line));
        assertEquals(Optional.of(running), store.run("run-1"));
        assertEquals(List.of(started), store.events("run-1"));
        assertEquals(List.of(line), store.logLines("run-1", 10, "").items());

        StoredLogLine later = new StoredLogLine("run-1", 3, now, "INFO", "", "later");
        store.storeRunChanges(Optional.empty(), List.of(), List.of(later));
        assertEquals(List.of(line, later), store.logLines("run-1", 10, "").items(), "lines are stored without a run change too");

        StoredLogLine again = new StoredLogLine("run-1", 4, now, "INFO", "", "again");
        Run failed = running.ended(RunState.FAILED, now, "failed", Optional.empty());
        assertThrows(CatalogException.class, () -> store.storeRunChanges(Optional.of(failed), List.of(started), List.of(again)),
                "event 2 is stored already");
        assertEquals(Optional.of(running), store.run("run-1"), "the run is not changed when an event of it cannot be stored");
        assertEquals(List.of(started), store.events("run-1"));
        assertEquals(List.of(line, later), store.logLines("run-1", 10, "").items(), "nor are its lines");
    }

    @Test
    void unfinishedRunsAreFoundForCrashRecovery() throws Exception {
        JdbcCatalogStore store = open(Files.createTempDirectory("catalog").resolve("catalog.duckdb"));
        Instant now = Instant.now();
        for (RunState state : List.of(RunState.RUNNING, RunState.PENDING, RunState.COMPLETED, RunState.FAILED)) {
            store.insertRun(new Run(state.name(), "p", state, Trigger.API, "", now, Optional.empty(), Optional.empty(), "", 1,
                    Optional.empty(), Optional.empty(), state == RunState.PENDING ? "waiting for its turn" : "", ""), "owner");
        }
        assertEquals(Set.of("RUNNING", "PENDING"), Set.copyOf(store.unfinishedRuns().stream().map(owned -> owned.run().id()).toList()));
    }

    @Test
    void aCatalogMadeBeforeRefreshesGainsTheirColumn() throws Exception {
        Path file = Files.createTempDirectory("catalog").resolve("catalog.duckdb");
        DuckDbQueries.execute(file, "CREATE TABLE runs (id VARCHAR PRIMARY KEY, pipeline VARCHAR NOT NULL, state VARCHAR NOT NULL,"
                + " trigger_kind VARCHAR NOT NULL, request_id VARCHAR NOT NULL, create_time_us BIGINT NOT NULL, start_time_us BIGINT,"
                + " end_time_us BIGINT, error VARCHAR NOT NULL, attempt INTEGER NOT NULL, summary VARCHAR)",
                "INSERT INTO runs VALUES ('old', 'p', 'COMPLETED', 'API', '', 0, NULL, NULL, '', 1, NULL)");
        JdbcCatalogStore store = open(file);
        assertEquals(Optional.empty(), store.run("old").orElseThrow().refresh());
    }

    @Test
    void aRequestIdIsUniquePerPipelineAndTheRaceLoserGetsTheFirstRun() throws Exception {
        Path file = Files.createTempDirectory("catalog").resolve("catalog.duckdb");
        JdbcCatalogStore store = open(file);
        int threads = 8;
        CyclicBarrier together = new CyclicBarrier(threads);
        List<Future<Run>> inserted = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                Run run = run("race-" + i, "orders", "request-1");
                inserted.add(pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return store.insertRun(run, "owner");
                }));
            }
            Set<String> returned = new HashSet<>();
            for (Future<Run> future : inserted) {
                returned.add(future.get(30, TimeUnit.SECONDS).id());
            }
            assertEquals(1, returned.size(), "every trigger got the one stored run: " + returned);
            assertEquals(returned.iterator().next(), store.runByRequestId("orders", "request-1").orElseThrow().id());
        }
        assertEquals(List.of(List.of("1")), DuckDbQueries.rows(file, "SELECT count(*) FROM runs WHERE request_id = 'request-1'"));

        assertEquals("other", store.insertRun(run("other", "invoices", "request-1"), "owner").id(), "ids are per pipeline");
        assertEquals("no-id-1", store.insertRun(run("no-id-1", "orders", ""), "owner").id());
        assertEquals("no-id-2", store.insertRun(run("no-id-2", "orders", ""), "owner").id(), "an empty id is no request id");
    }

    @Test
    void aCatalogMadeBeforeRunRequestsKeepsItsRequestIds() throws Exception {
        Path file = Files.createTempDirectory("catalog").resolve("catalog.duckdb");
        DuckDbQueries.execute(file, "CREATE TABLE runs (id VARCHAR PRIMARY KEY, pipeline VARCHAR NOT NULL, state VARCHAR NOT NULL,"
                + " trigger_kind VARCHAR NOT NULL, request_id VARCHAR NOT NULL, create_time_us BIGINT NOT NULL, start_time_us BIGINT,"
                + " end_time_us BIGINT, error VARCHAR NOT NULL, attempt INTEGER NOT NULL, summary VARCHAR, refresh VARCHAR)",
                "INSERT INTO runs VALUES ('old', 'orders', 'RUNNING', 'API', 'request-1', 0, NULL, NULL, '', 1, NULL, NULL)");
        JdbcCatalogStore store = open(file);
        assertEquals("old", store.runByRequestId("orders", "request-1").orElseThrow().id());
        assertEquals("old", store.insertRun(run("new", "orders", "request-1"), "owner").id());
        assertEquals(List.of(new OwnedRun(store.run("old").orElseThrow(), "")), store.unfinishedRuns(), "no owner recorded");
        open(file);
    }

    @Test
    void resumedByIsKeptWhenTheRunIsUpdatedLater() throws Exception {
        JdbcCatalogStore store = open(Files.createTempDirectory("catalog").resolve("catalog.duckdb"));
        Run run = run("earlier", "orders", "");
        store.insertRun(run, "owner");
        assertTrue(store.markResumed("earlier", "later"));
        store.updateRun(run.withState(RunState.FAILED));
        assertEquals("later", store.run("earlier").orElseThrow().resumedBy());
        assertEquals(RunState.FAILED, store.run("earlier").orElseThrow().state());
        assertFalse(store.markResumed("nobody", "later"));
    }

    @Test
    void discardedPackagesAreKeptLatestFirst() throws Exception {
        JdbcCatalogStore store = open(Files.createTempDirectory("catalog").resolve("catalog.duckdb"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        DiscardedPackage first = new DiscardedPackage("orders", "load-1", "run-1", 5, List.of(new RunSummary.TableRows("items", 5)),
                "ops", "bad data", now);
        DiscardedPackage second = new DiscardedPackage("orders", "load-2", "", 0, List.of(), "ops", "", now.plusSeconds(1));
        store.insertDiscardedPackage(first);
        store.insertDiscardedPackage(second);
        assertEquals(List.of(second, first), store.discardedPackages("orders"));
        assertEquals(List.of(), store.discardedPackages("invoices"));
    }

    @Test
    void theScheduleIndexNamesOnlyThePipelinesDueOrChangedSinceTheLastLook() throws Exception {
        theScheduleIndexNamesOnlyThePipelinesDueOrChanged(open(Files.createTempDirectory("catalog").resolve("catalog.duckdb")));
    }

    @Test
    void theScheduleIndexOfAPostgresCatalogNamesOnlyThePipelinesDueOrChangedSinceTheLastLook() {
        JdbcCatalogStore store = new JdbcCatalogStore(PostgresServer.freshSchema("schedule_index"));
        store.migrate();
        theScheduleIndexNamesOnlyThePipelinesDueOrChanged(store);
    }

    private static void theScheduleIndexNamesOnlyThePipelinesDueOrChanged(JdbcCatalogStore store) {
        Instant now = Instant.parse("2026-01-05T00:00:00Z");
        for (String name : List.of("later", "soon", "never", "changed", "deleted")) {
            store.insertPipeline(new PipelineRecord(name, "{}", "one", now, now));
        }
        assertEquals(Set.of("later", "soon", "never", "changed", "deleted"), Set.copyOf(store.duePipelines(now, 100)),
                "pipelines never looked at are due at once");
        store.markDue("later", "one", Optional.of(now.plusSeconds(60)));
        store.markDue("soon", "one", Optional.of(now.plusSeconds(30)));
        store.markDue("never", "one", Optional.empty());
        store.markDue("changed", "one", Optional.of(now.plusSeconds(90)));
        store.markDue("deleted", "one", Optional.of(now.plusSeconds(90)));
        assertEquals(List.of(), store.duePipelines(now, 100), "nothing is due before its time");

        assertTrue(store.replacePipeline(new PipelineRecord("changed", "{\"a\":1}", "two", now, now), "one"));
        assertTrue(store.deletePipeline("deleted"));
        assertEquals(Set.of("changed", "deleted"), Set.copyOf(store.duePipelines(now, 100)), "changed and deleted ones are due at once");
        store.markDue("changed", "two", Optional.of(now.plusSeconds(90)));
        store.forgetDue("deleted");
        assertEquals(List.of("soon", "later"), store.duePipelines(now.plusSeconds(60), 100), "the earliest due first");
        assertEquals(List.of("soon"), store.duePipelines(now.plusSeconds(60), 1), "at most as many as asked for");
        assertEquals(List.of("soon", "later", "changed"), store.duePipelines(now.plusSeconds(3600), 100), "never due is never due");
    }

    private static Run run(String id, String pipeline, String requestId) {
        return new Run(id, pipeline, RunState.PENDING, Trigger.API, requestId, Instant.now().truncatedTo(ChronoUnit.MICROS),
                Optional.empty(), Optional.empty(), "", 1, Optional.empty(), Optional.empty(), "", "");
    }

    private static JdbcCatalogStore open(Path file) {
        JdbcCatalogStore store = new JdbcCatalogStore(new FileDataSource(file));
        store.migrate();
        return store;
    }
}
