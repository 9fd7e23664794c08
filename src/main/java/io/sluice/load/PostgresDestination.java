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
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Loads into PostgreSQL through COPY: each staged file streams into an unlogged table of the
 * {@code <dataset>_staging} schema, then one {@code INSERT … SELECT} moves its rows to the target table, so a file
 * with fewer columns than its table lands cleanly and bytes are decoded on the way. Staging tables are dropped in the
 * same transaction that commits the data, so no one ever sees them.
 */
final class PostgresDestination extends SqlDestination {
    private static final int COPY_BUFFER = 1 << 16;
    /** Connection failures (08), transaction rollbacks such as deadlocks (40), and a server out of resources (53). */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53");

    private final PostgresDestinationSpec spec;
    private final Optional<String> password;
    private final Naming naming = new Naming(maxIdentifierLength());

    PostgresDestination(PostgresDestinationSpec spec, Optional<String> password) {
        this.spec = spec;
        this.password = password;
    }

    @Override
    String location() {
        return "PostgreSQL database " + spec.database() + " at " + spec.host() + ":" + spec.port();
    }

    @Override
    Connection open() {
        Properties properties = new Properties();
        properties.setProperty("user", spec.username());
        password.ifPresent(value -> properties.setProperty("password", value));
        properties.setProperty("ApplicationName", "sluice");
        String host = spec.host().contains(":") ? "[" + spec.host() + "]" : spec.host();
        try {
            // The driver directly, not DriverManager, which only sees drivers of the caller's class loader.
            Connection connection = new Driver().connect("jdbc:postgresql://" + host + ":" + spec.port() + "/" + spec.database(),
                    properties);
            try (Statement statement = connection.createStatement()) {
                // A timestamp without an offset means UTC wherever the service runs.
                statement.execute("SET TIME ZONE 'UTC'");
            }
            return connection;
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
        return state != null && state.length() >= 2 && TRANSIENT_CLASSES.contains(state.substring(0, 2));
    }
}
