package io.sluice.load;

import io.sluice.pipeline.PostgresDestinationSpec;
import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import io.sluice.schema.TableFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Loads into PostgreSQL through COPY: each staged file streams into an unlogged table of the
 * {@code <dataset>_staging} schema; the commit's {@code INSERT … SELECT} moves its rows to the target table, so a
 * file with fewer columns than its table lands cleanly and bytes are decoded on the way. Connections come from a pool
 * shared by the destinations of one server, database, user and password ({@link ConnectionPools}).
 */
final class PostgresDestination extends SqlDestination {
    private static final int COPY_BUFFER = 1 << 16;
    /** Connection failures (08), transaction rollbacks such as deadlocks (40), and a server out of resources (53). */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53");
    /**
     * A server shutting down or restarting: connections ended by an administrator or a crash of another backend
     * (57P01, 57P02), and "cannot connect now" while it starts up or shuts down (57P03). Not the rest of class 57:
     * 57014 is a cancelled statement, which is how a cancelled run stops.
     */
    private static final Set<String> TRANSIENT_STATES = Set.of("57P01", "57P02", "57P03");

    private final PostgresDestinationSpec spec;
    private final DataSource pool;

    /** @param pool connections to the spec's database as its user (see {@link ConnectionPools}) */
    PostgresDestination(PostgresDestinationSpec spec, DataSource pool) {
        this.spec = spec;
        this.pool = pool;
    }

    @Override
    String location() {
        return "PostgreSQL database " + spec.database() + " at " + spec.host() + ":" + spec.port();
    }

    @Override
    Connection open() {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw new LoadException("cannot connect to " + location() + " as " + spec.username() + ": " + e.getMessage(),
                    transientFailure(e), e);
        }
    }

    @Override
    boolean exists() {
        return true;
    }

    @Override
    String schemaName(String catalog, String schema) {
        return quote(schema);
    }

    @Override
    String sqlType(Column column) {
        return PostgresTypes.sqlType(column);
    }

    @Override
    DataType fromSql(String sqlType) {
        return PostgresTypes.fromSql(sqlType);
    }

    @Override
    String truncate(String table) {
        return "TRUNCATE " + table;
    }

    @Override
    String epochMicros(String column) {
        return "(extract(epoch FROM " + column + ") * 1000000)::bigint";
    }

    /**
     * Loads into one dataset commit in turns, as they do in a DuckDB file: concurrent CREATE … IF NOT EXISTS of one
     * name fail in PostgreSQL, and two loads widening one table would deadlock.
     */
    @Override
    void beforeTables(Statement statement, String catalog, String dataset) throws SQLException {
        execute(statement, "SELECT pg_advisory_xact_lock(hashtext(" + literal("sluice dataset " + dataset) + "))");
    }

    /** Under the dataset's lock, for the reason {@link #beforeTables} gives. */
    @Override
    void createStagingSchema(Connection connection, String catalog, String dataset) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            beforeTables(statement, catalog, dataset);
            execute(statement, "CREATE SCHEMA IF NOT EXISTS " + quote(stagingSchema(dataset)));
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollback(connection, e);
            throw e;
        }
    }

    /** Unlogged: a staging table needs no crash safety, a job whose table lost its rows is loaded again. */
    @Override
    void stage(Connection connection, Statement statement, String stagingTable, TableFile tableFile, Map<String, DataType> types)
            throws SQLException {
        String names = tableFile.columns().stream().map(column -> quote(column.name())).collect(Collectors.joining(", "));
        String stagedColumns = tableFile.columns().stream()
                .map(column -> quote(column.name()) + " " + stagedType(column.withType(types.get(column.name()))))
                .collect(Collectors.joining(", "));
        execute(statement, "CREATE UNLOGGED TABLE " + stagingTable + " (" + stagedColumns + ")");
        copy(connection, "COPY " + stagingTable + (names.isEmpty() ? "" : " (" + names + ")") + " FROM STDIN WITH (FORMAT csv, NULL '')",
                tableFile);
    }

    /** Streams the staged file as it is: the StagedCsv dialect is PostgreSQL's CSV with NULL as an empty unquoted field. */
    private void copy(Connection connection, String sql, TableFile tableFile) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try (InputStream in = Files.newInputStream(tableFile.file())) {
            byte[] buffer = new byte[COPY_BUFFER];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                // Statement.cancel does not reach a COPY: look at the flag between chunks instead.
                checkCancelled();
                copy.writeToCopy(buffer, 0, read);
            }
            copy.endCopy();
        } catch (IOException e) {
            throw new SQLException("cannot read staged file " + tableFile.file() + ": " + e.getMessage(), e);
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** Bytes are staged as {@code \xNN} escapes (what DuckDB reads): staged as text, decoded by {@link #value}. */
    private static String stagedType(Column column) {
        return column.type() == DataType.BINARY ? "text" : PostgresTypes.sqlType(column);
    }

    @Override
    String stagedValue(String column, DataType type) {
        return type == DataType.BINARY ? "decode(replace(" + quote(column) + ", '\\x', ''), 'hex')" : quote(column);
    }

    @Override
    boolean transientFailure(SQLException failure) {
        String state = failure.getSQLState();
        return state != null && state.length() >= 2
                && (TRANSIENT_CLASSES.contains(state.substring(0, 2)) || TRANSIENT_STATES.contains(state));
    }
}
