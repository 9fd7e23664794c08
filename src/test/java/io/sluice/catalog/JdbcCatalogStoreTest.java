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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FileDataSource;
import org.junit.jupiter.api.Test;

class JdbcCatalogStoreTest {
    @Test
    void aNewStoreOnTheSameFileSeesEverythingStored() throws Exception {
        Path file = Files.createTempDirectory("catalog").resolve("catalog.duckdb");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RunSummary summary = new RunSummary(List.of(new RunSummary.TableRows("events", 3)),
                List.of(new RunSummary.StageTime(Stage.EXTRACT, Duration.ofMillis(12))), 3, 99, Duration.ofMillis(20), "load-1", 1024);
        Run run = new Run("run-1", "orders", RunState.COMPLETED, Trigger.API, "request-1", now, Optional.of(now),
                Optional.of(now.plusSeconds(1)), "", 1, Optional.of(summary),
                Optional.of(new Refresh(Refresh.Mode.DROP_RESOURCES, List.of("lines"))));
        PipelineRecord pipeline = new PipelineRecord("orders", "{\"name\":\"orders\"}", "etag-1", now, now);
        StoredEvent event = new StoredEvent("run-1", 1, now, "LogLine", "{\"level\":\"INFO\",\"message\":\"hello\"}");

        JdbcCatalogStore before = open(file);
        before.insertPipeline(pipeline);
        before.insertRun(run);
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
    void unfinishedRunsAreFoundForCrashRecovery() throws Exception {
        JdbcCatalogStore store = open(Files.createTempDirectory("catalog").resolve("catalog.duckdb"));
        Instant now = Instant.now();
        for (RunState state : List.of(RunState.RUNNING, RunState.PENDING, RunState.COMPLETED, RunState.FAILED)) {
            store.insertRun(new Run(state.name(), "p", state, Trigger.API, "", now, Optional.empty(), Optional.empty(), "", 1,
                    Optional.empty(), Optional.empty()));
        }
        assertEquals(Set.of("RUNNING", "PENDING"), Set.copyOf(store.unfinishedRuns().stream().map(Run::id).toList()));
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

    private static JdbcCatalogStore open(Path file) {
        JdbcCatalogStore store = new JdbcCatalogStore(new FileDataSource(file));
        store.migrate();
        return store;
    }
}
