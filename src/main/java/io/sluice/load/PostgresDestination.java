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
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Loads into PostgreSQL through COPY: each staged file streams into an unlogged table of the
 * {@code <dataset>_staging} schema; the commit's {@code INSERT … SELECT} moves its rows to the target table, so a
 * file with fewer columns than its table lands cleanly and bytes are decoded on the way.
 */
final class PostgresDestination extends SqlDestination {
    private static final int COPY_BUFFER = 1 << 16;
    /** Connection failures (08), transaction rollbacks such as deadlocks (40), and a server out of resources (53). */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53");

    private final PostgresDestinationSpec spec;
    private final Optional<String> password;

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
            connection.rollback();
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
        return state != null && state.length() >= 2 && TRANSIENT_CLASSES.contains(state.substring(0, 2));
    }
}
