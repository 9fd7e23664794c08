package io.sluice.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.FileDataSource;
import io.sluice.testing.PostgresServer;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A tick's looks stored in one go, on DuckDB and on PostgreSQL: marks, forecast runs, discarded ones and index rows. */
class ScheduleLooksTest {
    private static final Instant NOW = Instant.parse("2026-01-05T00:00:00Z");

    @Test
    void aDuckDbCatalogStoresATicksLooksTogether() throws Exception {
        JdbcCatalogStore store = new JdbcCatalogStore(new FileDataSource(Files.createTempDirectory("catalog").resolve("catalog.duckdb")));
        store.migrate();
        storesATicksLooksTogether(store);
    }

    @Test
    void aPostgresCatalogStoresATicksLooksTogether() {
        JdbcCatalogStore store = new JdbcCatalogStore(PostgresServer.freshSchema("schedule_looks"));
        store.migrate();
        storesATicksLooksTogether(store);
    }

    private static void storesATicksLooksTogether(JdbcCatalogStore store) {
        for (String name : List.of("one", "two", "gone")) {
            store.insertPipeline(new PipelineRecord(name, "{}", "etag-" + name, NOW, NOW));
        }
        Run claimed = scheduled("one", "schedule:a@1");
        Run dropped = scheduled("gone", "schedule:a@1");
        store.storeLooks(List.of(
                new ScheduleLook("one", Optional.of("etag-one"), Map.of("a", NOW, "b", NOW), List.of(claimed, scheduled("one", "schedule:b@1")),
                        List.of(), Optional.of(NOW.plusSeconds(60))),
                new ScheduleLook("two", Optional.of("etag-two"), Map.of("a", NOW), List.of(), List.of(), Optional.empty()),
                new ScheduleLook("gone", Optional.of("etag-gone"), Map.of(), List.of(dropped), List.of(), Optional.of(NOW.plusSeconds(30)))),
                "owner");
        assertEquals(Map.of("one", Map.of("a", NOW, "b", NOW), "two", Map.of("a", NOW)), store.marks(List.of("one", "two", "gone")));
        assertEquals(Set.of("schedule:a@1", "schedule:b@1"), requestIds(store.scheduledRuns(List.of("one"))));
        assertEquals(List.of("gone", "one"), store.duePipelines(NOW.plusSeconds(60), 10));
        assertEquals(Optional.of(NOW.plusSeconds(30)), store.nextDue(NOW));

        assertTrue(store.claimScheduled(claimed.id(), "owner"));
        assertTrue(store.deletePipeline("gone"));
        store.storeLooks(List.of(
                new ScheduleLook("one", Optional.of("etag-one"), Map.of("a", NOW.minusSeconds(60), "b", NOW.plusSeconds(60)),
                        List.of(scheduled("one", "schedule:a@1")), store.scheduledRuns(List.of("one")).stream()
                        .filter(run -> run.requestId().equals("schedule:b@1")).toList(), Optional.of(NOW.plusSeconds(120))),
                new ScheduleLook("gone", Optional.empty(), Map.of(), List.of(), List.of(dropped, claimed), Optional.empty())),
                "owner");
        assertEquals(Map.of("a", NOW, "b", NOW.plusSeconds(60)), store.marks(List.of("one")).get("one"), "a mark never moves back");
        assertEquals(claimed.id(), store.runByRequestId("one", "schedule:a@1").orElseThrow().id(), "a request id taken is not forecast again");
        assertEquals(RunState.PENDING, store.run(claimed.id()).orElseThrow().state(), "a claimed run is not discarded");
        assertEquals(Optional.empty(), store.runByRequestId("one", "schedule:b@1"), "a discarded run's request id is free again");
        assertEquals(List.of(), store.scheduledRuns(List.of("one", "gone")));
        assertEquals(List.of("one"), store.duePipelines(NOW.plusSeconds(3600), 10), "a gone pipeline leaves the index; one never due is not due");
    }

    private static Run scheduled(String pipeline, String requestId) {
        return new Run(UUID.randomUUID().toString(), pipeline, RunState.SCHEDULED, Trigger.SCHEDULE, requestId, NOW,
                Optional.empty(), Optional.empty(), "", 1, Optional.empty(), Optional.empty(), "", "");
    }

    private static Set<String> requestIds(List<Run> runs) {
        return Set.copyOf(runs.stream().map(Run::requestId).toList());
    }
}
