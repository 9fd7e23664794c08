package io.sluice.load;

import io.sluice.schema.Schema;
import io.sluice.schema.SchemaCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables in which a dataset keeps what was loaded into it: {@code _sluice_loads} (one row per committed load),
 * {@code _sluice_version} (each pipeline's schema versions) and {@code _sluice_pipeline_state}
 * ({@link PipelineStateTable}). They are written in the commit's transaction, with the rows they account for.
 */
final class BookkeepingTables {
    static final String LOADS = "_sluice_loads";
    static final String VERSIONS = "_sluice_version";
    private static final int COMMITTED = 0;

    private final SqlDestination destination;
    private final String loads;
    private final String versions;
    private final PipelineStateTable state;

    /** The bookkeeping tables of {@code dataset} in database {@code catalog}. */
    BookkeepingTables(SqlDestination destination, String catalog, String dataset) {
        this.destination = destination;
        this.loads = destination.qualified(catalog, dataset, LOADS);
        this.versions = destination.qualified(catalog, dataset, VERSIONS);
        this.state = new PipelineStateTable(destination.qualified(catalog, dataset, PipelineStateTable.NAME));
    }

    /** The bookkeeping tables of {@code dataset} in the database the connection is in. */
    static BookkeepingTables of(SqlDestination destination, Connection connection, String dataset) throws SQLException {
        return new BookkeepingTables(destination, SqlConnections.currentCatalog(connection), dataset);
    }

    /** Creates the tables the dataset does not have yet. */
    void create(Statement statement) throws SQLException {
        SqlConnections connections = destination.connections();
        connections.execute(statement, "CREATE TABLE IF NOT EXISTS " + loads
                + " (load_id VARCHAR NOT NULL PRIMARY KEY, pipeline VARCHAR NOT NULL, status INTEGER NOT NULL,"
                + " inserted_at TIMESTAMPTZ NOT NULL, rows BIGINT NOT NULL)");
        connections.execute(statement, "CREATE TABLE IF NOT EXISTS " + versions
                + " (pipeline VARCHAR NOT NULL, version BIGINT NOT NULL, inserted_at TIMESTAMPTZ NOT NULL,"
                + " load_id VARCHAR NOT NULL, schema VARCHAR NOT NULL, PRIMARY KEY (pipeline, version))");
        connections.execute(statement, state.createStatement());
    }

    PipelineStateTable state() {
        return state;
    }

    /** The pipeline's latest schema version, or its empty schema before the first. */
    Schema latestSchema(Connection connection, String pipeline) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT schema FROM " + versions
                + " WHERE pipeline = ? ORDER BY version DESC LIMIT 1")) {
            query.setString(1, pipeline);
            try (ResultSet result = query.executeQuery()) {
                return result.next() ? SchemaCodec.fromJson(result.getString(1)) : Schema.empty(pipeline);
            }
        }
    }

    /** Every schema version of the pipeline, newest first. */
    List<SchemaVersionRecord> history(Connection connection, String pipeline) throws SQLException {
        List<SchemaVersionRecord> history = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT version, " + destination.epochMicros("inserted_at")
                + ", load_id, schema FROM " + versions + " WHERE pipeline = ? ORDER BY version DESC")) {
            query.setString(1, pipeline);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    history.add(new SchemaVersionRecord(result.getLong(1), Instant.EPOCH.plus(result.getLong(2), ChronoUnit.MICROS),
                            result.getString(3), SchemaCodec.fromJson(result.getString(4)).tables().size()));
                }
            }
        }
        return history;
    }

    /** Stores {@code schema} as a version of its pipeline, brought by load {@code loadId}. */
    void storeVersion(Connection connection, Schema schema, String loadId) throws SQLException {
        try (PreparedStatement version = connection.prepareStatement("INSERT INTO " + versions + " VALUES (?, ?, now(), ?, ?)")) {
            version.setString(1, schema.pipeline());
            version.setLong(2, schema.version());
            version.setString(3, loadId);
            version.setString(4, SchemaCodec.toJson(schema));
            version.executeUpdate();
        }
    }

    /** Whether load {@code loadId} was committed. */
    boolean committed(Connection connection, String loadId) throws SQLException {
        return SqlDestination.answers(connection, "SELECT 1 FROM " + loads + " WHERE load_id = ?", loadId);
    }

    /** Records load {@code loadId} of the pipeline as committed, with the rows it brought. */
    void recordLoad(Connection connection, String loadId, String pipeline, long rows) throws SQLException {
        try (PreparedStatement record = connection.prepareStatement("INSERT INTO " + loads + " VALUES (?, ?, ?, now(), ?)")) {
            record.setString(1, loadId);
            record.setString(2, pipeline);
            record.setInt(3, COMMITTED);
            record.setLong(4, rows);
            record.executeUpdate();
        }
    }
}
