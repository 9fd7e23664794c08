package io.sluice.catalog;

import static io.sluice.catalog.CatalogSql.instant;
import static io.sluice.catalog.CatalogSql.micros;

import java.util.List;

/** Run events in the catalog's SQL, numbered per run. */
final class JdbcRunEvents implements RunEventStore {
    private final CatalogSql sql;

    JdbcRunEvents(CatalogSql sql) {
        this.sql = sql;
    }

    @Override
    public void appendEvent(StoredEvent event) {
        CatalogSql.Write insert = insert(event);
        sql.update(insert.sql(), insert.values());
    }

    static CatalogSql.Write insert(StoredEvent event) {
        return new CatalogSql.Write("INSERT INTO run_events (run_id, sequence, time_us, kind, payload) VALUES (?, ?, ?, ?, ?)",
                event.runId(), event.sequence(), micros(event.time()), event.kind(), event.payload());
    }

    @Override
    public List<StoredEvent> events(String runId) {
        return sql.query("SELECT run_id, sequence, time_us, kind, payload FROM run_events WHERE run_id = ? ORDER BY sequence",
                List.of(runId), row -> new StoredEvent(row.getString(1), row.getLong(2), instant(row.getLong(3)), row.getString(4),
                        row.getString(5)), "the events of run " + runId);
    }
}
