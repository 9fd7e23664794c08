package io.sluice.load;

import io.sluice.pipeline.PostgresDestinationSpec;
import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import io.sluice.schema.Naming;
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
 * {@code <dataset>_staging} schema, then one {@code INSERT … SELECT} moves its rows to the target table, so a file
 * with fewer columns than its table lands cleanly and bytes are decoded on the way. Staging tables are dropped in the
 * same transaction that commits the data, so no one ever sees them. Connections come from a pool shared by the
 * destinations of one server, database and user ({@link ConnectionPools}).
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
    private final Naming naming = new Naming(maxIdentifierLength());

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
    String epochMicros(String column) {
        return "(extract(epoch FROM " + column + ") * 1000000)::bigint";
    }

    /**
     * Loads into one dataset take turns, as they do in a DuckDB file: concurrent CREATE … IF NOT EXISTS of one name
     * fail in PostgreSQL, and two loads widening one table would deadlock.
     */
    @Override
    void beforeTables(Statement statement, String catalog, String dataset) throws SQLException {
        execute(statement, "SELECT pg_advisory_xact_lock(hashtext(" + literal("sluice dataset " + dataset) + "))");
        execute(statement, "CREATE SCHEMA IF NOT EXISTS " + quote(stagingSchema(dataset)));
    }

    @Override
    void insert(Connection connection, Statement statement, String catalog, String dataset, String loadId, int fileIndex,
                TableFile tableFile, Map<String, DataType> target) throws SQLException {
        String staging = quote(stagingSchema(dataset)) + "." + quote("_sluice_" + loadId + "_" + fileIndex);
        String names = tableFile.columns().stream().map(column -> quote(column.name())).collect(Collectors.joining(", "));
        String stagedColumns = tableFile.columns().stream()
                .map(column -> quote(column.name()) + " " + stagedType(column.withType(target.get(column.name()))))
                .collect(Collectors.joining(", "));
        // Unlogged: staged rows need no crash safety, they are dropped before the commit.
        execute(statement, "CREATE UNLOGGED TABLE " + staging + " (" + stagedColumns + ")");
        copy(connection, "COPY " + staging + (names.isEmpty() ? "" : " (" + names + ")") + " FROM STDIN WITH (FORMAT csv, NULL '')",
                tableFile);
        String values = tableFile.columns().stream()
                .map(column -> value(column.name(), target.get(column.name())) + ", ")
                .collect(Collectors.joining());
        execute(statement, "INSERT INTO " + qualified(catalog, dataset, tableFile.table())
                + " (" + (names.isEmpty() ? "" : names + ", ") + quote(LOAD_ID_COLUMN) + ") SELECT " + values + literal(loadId)
                + " FROM " + staging);
        execute(statement, "DROP TABLE " + staging);
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

    private static String value(String column, DataType type) {
        return type == DataType.BINARY ? "decode(replace(" + quote(column) + ", '\\x', ''), 'hex')" : quote(column);
    }

    private String stagingSchema(String dataset) {
        return naming.shorten(dataset + "_staging");
    }

    @Override
    boolean transientFailure(SQLException failure) {
        String state = failure.getSQLState();
        return state != null && state.length() >= 2
                && (TRANSIENT_CLASSES.contains(state.substring(0, 2)) || TRANSIENT_STATES.contains(state));
    }
}
