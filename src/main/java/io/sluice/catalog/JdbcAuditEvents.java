package io.sluice.catalog;

import static io.sluice.catalog.CatalogSql.instant;
import static io.sluice.catalog.CatalogSql.micros;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        List<String> conditions = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        equal(conditions, values, "pipeline", filter.pipeline());
        equal(conditions, values, "actor", filter.actor());
        equal(conditions, values, "action", filter.action());
        filter.since().ifPresent(time -> {
            conditions.add("time_us >= ?");
            values.add(micros(time));
        });
        filter.before().ifPresent(time -> {
            conditions.add("time_us < ?");
            values.add(micros(time));
        });
        if (!pageToken.isEmpty()) {
            PageTokens.Position position = PageTokens.position(pageToken);
            conditions.add("(time_us < ? OR (time_us = ? AND id < ?))");
            values.add(position.timeMicros());
            values.add(position.timeMicros());
            values.add(position.id());
        }
        String where = conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions);
        List<AuditEvent> found = sql.query(COLUMNS + where + " ORDER BY time_us DESC, id DESC LIMIT " + (pageSize + 1), values,
                JdbcAuditEvents::event, "the audit trail");
        if (found.size() <= pageSize) {
            return new Page<>(found, "");
        }
        List<AuditEvent> page = found.subList(0, pageSize);
        AuditEvent last = page.getLast();
        return new Page<>(page, PageTokens.after(micros(last.time()), last.id()));
    }

    @Override
    public int deleteAuditEventsBefore(Instant time) {
        return sql.update("DELETE FROM audit_events WHERE time_us < ?", micros(time));
    }

    private static void equal(List<String> conditions, List<Object> values, String column, Optional<String> value) {
        value.ifPresent(wanted -> {
            conditions.add(column + " = ?");
            values.add(wanted);
        });
    }

    private static AuditEvent event(ResultSet row) throws SQLException {
        return new AuditEvent(row.getString(1), instant(row.getLong(2)), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getString(7), row.getString(8), AuditOutcome.valueOf(row.getString(9)), row.getString(10));
    }
}
