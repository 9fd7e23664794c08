package io.sluice.catalog;

import static io.sluice.catalog.CatalogSql.instant;
import static io.sluice.catalog.CatalogSql.micros;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The audit trail in the catalog's SQL. */
final class JdbcAuditEvents implements AuditStore {
    private static final String COLUMNS = "SELECT id, time_us, actor, peer, action, pipeline, run_id, api_key_id, outcome,"
            + " status_code FROM audit_events ";

    private final CatalogSql sql;

    JdbcAuditEvents(CatalogSql sql) {
        this.sql = sql;
    }

    @Override
    public void appendAuditEvent(AuditEvent event) {
        sql.update("INSERT INTO audit_events (id, time_us, actor, peer, action, pipeline, run_id, api_key_id, outcome, status_code)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", event.id(), micros(event.time()), event.actor(), event.peer(),
                event.action(), event.pipeline(), event.runId(), event.apiKeyId(), event.outcome().name(), event.statusCode());
    }

    @Override
    public Page<AuditEvent> auditEvents(AuditFilter filter, int pageSize, String pageToken) {
        NewestFirst listing = new NewestFirst("time_us").equal("pipeline", filter.pipeline()).equal("actor", filter.actor())
                .equal("action", filter.action()).between(filter.since(), filter.before());
        return listing.page(pageSize, pageToken,
                (clauses, values, limit) -> sql.query(COLUMNS + clauses + " LIMIT " + limit, values, JdbcAuditEvents::event,
                        "the audit trail"),
                event -> new PageTokens.Position(micros(event.time()), event.id()));
    }

    @Override
    public int deleteAuditEventsBefore(Instant time) {
        return sql.update("DELETE FROM audit_events WHERE time_us < ?", micros(time));
    }

    private static AuditEvent event(ResultSet row) throws SQLException {
        return new AuditEvent(row.getString(1), instant(row.getLong(2)), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getString(7), row.getString(8), AuditOutcome.valueOf(row.getString(9)), row.getString(10));
    }
}
