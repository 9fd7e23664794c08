package io.sluice.catalog;

import static io.sluice.catalog.CatalogSql.instant;
import static io.sluice.catalog.CatalogSql.micros;

import java.util.List;

/** Runs' log lines in the catalog's SQL, in their runs' event order; a page token is the sequence a page ended at. */
final class JdbcRunLogs implements RunLogStore {
    private final CatalogSql sql;

    JdbcRunLogs(CatalogSql sql) {
        this.sql = sql;
    }

    @Override
    public void appendLogLine(StoredLogLine line) {
        CatalogSql.Write insert = insert(line);
        sql.update(insert.sql(), insert.values());
    }

    static CatalogSql.Write insert(StoredLogLine line) {
        return new CatalogSql.Write("INSERT INTO run_logs (run_id, sequence, time_us, level, logger, message) VALUES (?, ?, ?, ?, ?, ?)",
                line.runId(), line.sequence(), micros(line.time()), line.level(), line.logger(), line.message());
    }

    @Override
    public Page<StoredLogLine> logLines(String runId, int pageSize, String pageToken) {
        long after = pageToken.isEmpty() ? 0 : after(pageToken);
        List<StoredLogLine> lines = sql.query("SELECT run_id, sequence, time_us, level, logger, message FROM run_logs"
                        + " WHERE run_id = ? AND sequence > ? ORDER BY sequence LIMIT ?", List.of(runId, after, pageSize + 1),
                row -> new StoredLogLine(row.getString(1), row.getLong(2), instant(row.getLong(3)), row.getString(4),
                        row.getString(5), row.getString(6)), "the log lines of run " + runId);
        if (lines.size() <= pageSize) {
            return new Page<>(lines, "");
        }
        List<StoredLogLine> page = lines.subList(0, pageSize);
        return new Page<>(page, PageTokens.encode(Long.toString(page.getLast().sequence())));
    }

    @Override
    public long lastLogLineSequence(String runId) {
        return sql.query("SELECT coalesce(max(sequence), 0) FROM run_logs WHERE run_id = ?", List.of(runId), row -> row.getLong(1),
                "the log lines of run " + runId).getFirst();
    }

    private static long after(String pageToken) {
        try {
            return Long.parseLong(PageTokens.decode(pageToken));
        } catch (NumberFormatException e) {
            throw PageTokens.invalid(pageToken);
        }
    }
}
