package io.sluice.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates the catalog's tables, and brings those of a catalog that an earlier version made up to date. */
final class CatalogTables {
    private CatalogTables() {
    }

    /** Creates the catalog tables and columns that do not exist yet. */
    static void migrate(CatalogSql sql) {
        try (Connection connection = sql.connection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS pipelines (name VARCHAR PRIMARY KEY, spec VARCHAR NOT NULL,"
                    + " etag VARCHAR NOT NULL, create_time_us BIGINT NOT NULL, update_time_us BIGINT NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS runs (id VARCHAR PRIMARY KEY, pipeline VARCHAR NOT NULL,"
                    + " state VARCHAR NOT NULL, trigger_kind VARCHAR NOT NULL, request_id VARCHAR NOT NULL,"
                    + " create_time_us BIGINT NOT NULL, start_time_us BIGINT, end_time_us BIGINT, error VARCHAR NOT NULL,"
                    + " attempt INTEGER NOT NULL, summary VARCHAR, refresh VARCHAR)");
            // Catalogs made before runs had a refresh.
            statement.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS refresh VARCHAR");
            // Catalogs made before a waiting run said why.
            statement.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS pending_reason VARCHAR");
            // Catalogs made before runs had owners and could be resumed by a later run.
            statement.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS owner VARCHAR");
            statement.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS resumed_by VARCHAR");
            // A request id is unique per pipeline by this table's key, not only under one process's lock. A table of its
            // own because an empty id is no request id, and DuckDB has no partial unique index.
            statement.execute("CREATE TABLE IF NOT EXISTS run_requests (pipeline VARCHAR NOT NULL, request_id VARCHAR NOT NULL,"
                    + " run_id VARCHAR NOT NULL, PRIMARY KEY (pipeline, request_id))");
            // Catalogs made before the table: their runs' request ids, the first run of each.
            statement.execute("INSERT INTO run_requests (pipeline, request_id, run_id)"
                    + " SELECT pipeline, request_id, min(id) FROM runs r WHERE request_id <> '' AND NOT EXISTS"
                    + " (SELECT 1 FROM run_requests q WHERE q.pipeline = r.pipeline AND q.request_id = r.request_id)"
                    + " GROUP BY pipeline, request_id");
            statement.execute("CREATE TABLE IF NOT EXISTS discarded_packages (pipeline VARCHAR NOT NULL, load_id VARCHAR NOT NULL,"
                    + " sealed_by_run VARCHAR NOT NULL, row_count BIGINT NOT NULL, tables VARCHAR NOT NULL, discarded_by VARCHAR NOT NULL,"
                    + " reason VARCHAR NOT NULL, discard_time_us BIGINT NOT NULL, PRIMARY KEY (pipeline, load_id))");
            statement.execute("CREATE TABLE IF NOT EXISTS run_events (run_id VARCHAR NOT NULL, sequence BIGINT NOT NULL,"
                    + " time_us BIGINT NOT NULL, kind VARCHAR NOT NULL, payload VARCHAR NOT NULL, PRIMARY KEY (run_id, sequence))");
            statement.execute("CREATE TABLE IF NOT EXISTS api_keys (id VARCHAR PRIMARY KEY, description VARCHAR NOT NULL,"
                    + " role VARCHAR NOT NULL, hash VARCHAR NOT NULL, create_time_us BIGINT NOT NULL, revoke_time_us BIGINT)");
            statement.execute("CREATE TABLE IF NOT EXISTS schedule_marks (pipeline VARCHAR NOT NULL, schedule VARCHAR NOT NULL,"
                    + " last_slot_us BIGINT NOT NULL, PRIMARY KEY (pipeline, schedule))");
            statement.execute("CREATE TABLE IF NOT EXISTS scheduler_term (id VARCHAR PRIMARY KEY, holder VARCHAR NOT NULL,"
                    + " end_us BIGINT NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS audit_events (id VARCHAR PRIMARY KEY, time_us BIGINT NOT NULL,"
                    + " actor VARCHAR NOT NULL, peer VARCHAR NOT NULL, action VARCHAR NOT NULL, pipeline VARCHAR NOT NULL,"
                    + " run_id VARCHAR NOT NULL, api_key_id VARCHAR NOT NULL, outcome VARCHAR NOT NULL, status_code VARCHAR NOT NULL)");
            // Catalogs made before API keys could be scoped to pipelines by label.
            statement.execute("ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS scope VARCHAR");
            // Log lines apart from the run's other events: they are many, bounded per run, kept for less long, and paged.
            statement.execute("CREATE TABLE IF NOT EXISTS run_logs (run_id VARCHAR NOT NULL, sequence BIGINT NOT NULL,"
                    + " time_us BIGINT NOT NULL, level VARCHAR NOT NULL, logger VARCHAR NOT NULL, message VARCHAR NOT NULL,"
                    + " PRIMARY KEY (run_id, sequence))");
            // When each pipeline's schedules are next due, and for which version (etag) of its spec that was worked out: a
            // tick looks only at the pipelines due, or changed (another etag), registered or deleted since (no row here or
            // no pipeline). Written by the scheduler alone, so it never conflicts with a registration.
            statement.execute("CREATE TABLE IF NOT EXISTS schedule_due (pipeline VARCHAR PRIMARY KEY, etag VARCHAR NOT NULL,"
                    + " due_us BIGINT)");
        } catch (SQLException e) {
            throw new CatalogException("cannot create the catalog tables", e);
        }
    }
}
