package io.sluice.load;

import io.sluice.pipeline.PipelineState;
import io.sluice.pipeline.PipelineStateCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The {@code _sluice_pipeline_state} table of a dataset: each pipeline's state as numbered versions, one row per
 * version, written in the transaction of the load it belongs to. Rows are keyed by pipeline, so pipelines sharing
 * a dataset never touch each other's state; older versions than the last {@value #KEPT_VERSIONS} of a pipeline
 * are removed as a new one is written, so the table does not grow with the number of runs.
 */
final class PipelineStateTable {
    static final String NAME = "_sluice_pipeline_state";
    static final int KEPT_VERSIONS = 5;

    private final String table;

    /** @param table the table's qualified name in the destination's SQL */
    PipelineStateTable(String table) {
        this.table = table;
    }

    String createStatement() {
        return "CREATE TABLE IF NOT EXISTS " + table + " (pipeline VARCHAR NOT NULL, version BIGINT NOT NULL,"
                + " inserted_at TIMESTAMPTZ NOT NULL, load_id VARCHAR NOT NULL, state VARCHAR NOT NULL, PRIMARY KEY (pipeline, version))";
    }

    /** The pipeline's latest state, or the empty state when it has none. */
    PipelineState latest(Connection connection, String pipeline) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT state FROM " + table
                + " WHERE pipeline = ? ORDER BY version DESC LIMIT 1")) {
            query.setString(1, pipeline);
            try (ResultSet result = query.executeQuery()) {
                return result.next() ? PipelineStateCodec.fromJson(result.getString(1)) : PipelineState.EMPTY;
            }
        }
    }

    /**
     * Stores {@code state} as the pipeline's next version and removes the versions past keeping, inside the load's
     * transaction. Loads into one dataset take turns (a file's writer lock, PostgreSQL's advisory lock), so reading
     * the latest version number first is safe.
     */
    void write(Connection connection, String pipeline, String loadId, PipelineState state) throws SQLException {
        long version;
        try (PreparedStatement query = connection.prepareStatement("SELECT coalesce(max(version), 0) FROM " + table
                + " WHERE pipeline = ?")) {
            query.setString(1, pipeline);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                version = result.getLong(1) + 1;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (pipeline, version, inserted_at, load_id, state) VALUES (?, ?, now(), ?, ?)")) {
            insert.setString(1, pipeline);
            insert.setLong(2, version);
            insert.setString(3, loadId);
            insert.setString(4, PipelineStateCodec.toJson(state));
            insert.executeUpdate();
        }
        try (PreparedStatement prune = connection.prepareStatement("DELETE FROM " + table + " WHERE pipeline = ? AND version <= ?")) {
            prune.setString(1, pipeline);
            prune.setLong(2, version - KEPT_VERSIONS);
            prune.executeUpdate();
        }
    }
}
