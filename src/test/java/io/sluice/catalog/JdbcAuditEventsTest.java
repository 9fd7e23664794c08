package io.sluice.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FileDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The audit trail and scoped API keys in a real DuckDB catalog file. */
class JdbcAuditEventsTest {
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private static final AuditFilter EVERYTHING = new AuditFilter(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    @Test
    void eventsAreFilteredAndPagedNewestFirst() throws Exception {
        JdbcCatalogStore store = open(Files.createTempDirectory("audit").resolve("catalog.duckdb"));
        for (int minute = 0; minute < 7; minute++) {
            String actor = minute % 2 == 0 ? "key:ci" : "jwt:alice";
            store.appendAuditEvent(event("e" + minute, START.plus(minute, ChronoUnit.MINUTES), actor,
                    minute < 3 ? "billing" : "search", minute == 6 ? AuditOutcome.DENIED : AuditOutcome.OK));
        }

        List<String> paged = new ArrayList<>();
        String token = "";
        do {
            Page<AuditEvent> page = store.auditEvents(EVERYTHING, 3, token);
            page.items().forEach(event -> paged.add(event.id()));
            token = page.nextPageToken();
        } while (!token.isEmpty());
        assertEquals(List.of("e6", "e5", "e4", "e3", "e2", "e1", "e0"), paged);

        assertEquals(List.of("e2", "e0"), ids(store, new AuditFilter(Optional.of("billing"), Optional.of("key:ci"), Optional.empty(),
                Optional.empty(), Optional.empty())));
        assertEquals(List.of("e4", "e3"), ids(store, new AuditFilter(Optional.empty(), Optional.empty(), Optional.of("TriggerRun"),
                Optional.of(START.plus(3, ChronoUnit.MINUTES)), Optional.of(START.plus(5, ChronoUnit.MINUTES)))));
        AuditEvent denied = store.auditEvents(EVERYTHING, 1, "").items().getFirst();
        assertEquals(event("e6", START.plus(6, ChronoUnit.MINUTES), "key:ci", "search", AuditOutcome.DENIED), denied);
        assertThrows(InvalidPageTokenException.class, () -> store.auditEvents(EVERYTHING, 3, "not-a-token"));
    }

    @Test
    void eventsOlderThanTheRetentionAreForgotten() throws Exception {
        JdbcCatalogStore store = open(Files.createTempDirectory("audit").resolve("catalog.duckdb"));
        store.appendAuditEvent(event("old", START, "key:ci", "billing", AuditOutcome.OK));
        store.appendAuditEvent(event("new", START.plus(1, ChronoUnit.DAYS), "key:ci", "billing", AuditOutcome.OK));
        assertEquals(1, store.deleteAuditEventsBefore(START.plus(1, ChronoUnit.HOURS)));
        assertEquals(List.of("new"), ids(store, EVERYTHING));
    }

    @Test
    void keysKeepTheirScopeAndKeysMadeBeforeScopesCoverEveryPipeline() throws Exception {
        Path file = Files.createTempDirectory("audit").resolve("catalog.duckdb");
        DuckDbQueries.execute(file, "CREATE TABLE api_keys (id VARCHAR PRIMARY KEY, description VARCHAR NOT NULL,"
                + " role VARCHAR NOT NULL, hash VARCHAR NOT NULL, create_time_us BIGINT NOT NULL, revoke_time_us BIGINT)");
        DuckDbQueries.execute(file, "INSERT INTO api_keys VALUES ('old', 'before scopes', 'viewer', 'ab', 1, NULL)");
        JdbcCatalogStore store = open(file);
        StoredApiKey scoped = new StoredApiKey("new", "billing team", "operator", "team=billing", "cd", START, Optional.empty());
        store.insertApiKey(scoped);
        assertEquals("", store.apiKey("old").orElseThrow().scope());
        assertEquals(Optional.of(scoped), store.apiKey("new"));
    }

    private static List<String> ids(JdbcCatalogStore store, AuditFilter filter) {
        return store.auditEvents(filter, 100, "").items().stream().map(AuditEvent::id).toList();
    }

    private static AuditEvent event(String id, Instant time, String actor, String pipeline, AuditOutcome outcome) {
        return new AuditEvent(id, time, actor, "127.0.0.1:40000", "TriggerRun", pipeline, "run-" + id, "", outcome,
                outcome == AuditOutcome.OK ? "OK" : "PERMISSION_DENIED");
    }

    private static JdbcCatalogStore open(Path file) {
        JdbcCatalogStore store = new JdbcCatalogStore(new FileDataSource(file));
        store.migrate();
        return store;
    }
}
