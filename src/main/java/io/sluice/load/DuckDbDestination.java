package io.sluice.load;

import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import io.sluice.schema.StagedCsv;
import io.sluice.schema.TableFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import io.sluice.schema.Schema;
import io.sluice.schema.SchemaCodec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.duckdb.DuckDBDriver;

/**
 * Loads into a DuckDB file through its bulk CSV reader: each staged file is one {@code INSERT … SELECT FROM
 * read_csv(…)} with the column types our engine inferred (DuckDB's own inference is never used). Tables are
 * created and widened, rows inserted and the {@code _sluice_loads} row written in one transaction.
 */
final class DuckDbDestination implements Destination {
    static final String LOAD_ID_COLUMN = "_sluice_load_id";
    static final String LOADS_TABLE = "_sluice_loads";
    static final String VERSION_TABLE = "_sluice_version";
    /** DuckDB takes long names; shortening to PostgreSQL's limit keeps a dataset portable between the two. */
    private static final int MAX_IDENTIFIER_LENGTH = 63;
    private static final int COMMITTED = 0;

    private final Path file;
    private volatile Statement running;
    private volatile boolean cancelled;

    DuckDbDestination(Path file) {
        this.file = file;
    }

    @Override
    public void load(LoadPackage loadPackage, LoadListener listener) {
        ReentrantLock writer = DuckDbFiles.writerLock(file);
        try {
            writer.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException("cancelled while waiting for " + file, false, e);
        }
        try (Connection connection = open()) {
            loadAll(connection, loadPackage, listener);
        } catch (SQLException e) {
            throw new LoadException(cancelled ? "load cancelled" : "loading into " + file + " failed: " + e.getMessage(), false, e);
        } finally {
            writer.unlock();
        }
    }

    @Override
    public int maxIdentifierLength() {
        return MAX_IDENTIFIER_LENGTH;
    }

    @Override
    public Schema storedSchema(String pipeline, String dataset) {
        return read(connection -> {
            if (!tableExists(connection, dataset, VERSION_TABLE)) {
                return Schema.empty(pipeline);
            }
            try (PreparedStatement query = connection.prepareStatement("SELECT schema FROM " + qualified(connection, dataset,
                    VERSION_TABLE) + " WHERE pipeline = ? ORDER BY version DESC LIMIT 1")) {
                query.setString(1, pipeline);
                try (ResultSet result = query.executeQuery()) {
                    return result.next() ? SchemaCodec.fromJson(result.getString(1)) : Schema.empty(pipeline);
                }
            }
        }, Schema.empty(pipeline));
    }

    @Override
    public List<SchemaVersionRecord> schemaHistory(String pipeline, String dataset) {
        return read(connection -> {
            if (!tableExists(connection, dataset, VERSION_TABLE)) {
                return List.of();
            }
            List<SchemaVersionRecord> versions = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT version, epoch_us(inserted_at), load_id, schema FROM "
                    + qualified(connection, dataset, VERSION_TABLE) + " WHERE pipeline = ? ORDER BY version DESC")) {
                query.setString(1, pipeline);
                try (ResultSet result = query.executeQuery()) {
                    while (result.next()) {
                        versions.add(new SchemaVersionRecord(result.getLong(1), Instant.EPOCH.plus(result.getLong(2), ChronoUnit.MICROS),
                                result.getString(3), SchemaCodec.fromJson(result.getString(4)).tables().size()));
                    }
                }
            }
            return versions;
        }, List.of());
    }

    @Override
    public TablePreview preview(String dataset, String table, int limit) {
        return read(connection -> {
            if (!tableExists(connection, dataset, table)) {
                throw new LoadException("table " + dataset + "." + table + " does not exist in " + file, false, null);
            }
            try (Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT * FROM " + qualified(connection, dataset, table) + " LIMIT " + limit)) {
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    columns.add(result.getMetaData().getColumnName(i));
                }
                List<List<Object>> rows = new ArrayList<>();
                while (result.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(result.getObject(i));
                    }
                    rows.add(row);
                }
                return new TablePreview(columns, rows);
            }
        }, null);
    }

    @Override
    public void cancel() {
        cancelled = true;
        Statement statement = running;
        if (statement != null) {
            try {
                statement.cancel();
            } catch (SQLException ignored) {
                // the statement ended on its own; the flag stops the next one
            }
        }
    }

    private interface Read<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Reads the file if it exists; a destination never loaded answers {@code absent} (or, with none, "no table"). */
    private <T> T read(Read<T> read, T absent) {
        if (!Files.exists(file)) {
            if (absent == null) {
                throw new LoadException("nothing was loaded into " + file + " yet", false, null);
            }
            return absent;
        }
        try (Connection connection = open()) {
            return read.apply(connection);
        } catch (SQLException e) {
            throw new LoadException("reading " + file + " failed: " + e.getMessage(), false, e);
        }
    }

    private static boolean tableExists(Connection connection, String dataset, String table) throws SQLException {
        return !existingColumns(connection, currentCatalog(connection), dataset, table).isEmpty();
    }

    private static String qualified(Connection connection, String dataset, String table) throws SQLException {
        return quote(currentCatalog(connection)) + "." + quote(dataset) + "." + quote(table);
    }

    private Connection open() {
        try {
            Files.createDirectories(file.getParent());
            // The driver directly, not DriverManager, which only sees drivers of the caller's class loader.
            return new DuckDBDriver().connect("jdbc:duckdb:" + file, new Properties());
        } catch (IOException | SQLException e) {
            throw new LoadException("cannot open DuckDB database " + file + ": " + e.getMessage(), false, e);
        }
    }

    private void loadAll(Connection connection, LoadPackage loadPackage, LoadListener listener) throws SQLException {
        // A schema named like the database file would make two-part names ambiguous: always name all three parts.
        String catalog = currentCatalog(connection);
        String schema = quote(catalog) + "." + quote(loadPackage.dataset());
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            running = statement;
            execute(statement, "CREATE SCHEMA IF NOT EXISTS " + schema);
            execute(statement, "CREATE TABLE IF NOT EXISTS " + schema + "." + quote(LOADS_TABLE)
                    + " (load_id VARCHAR NOT NULL PRIMARY KEY, pipeline VARCHAR NOT NULL, status INTEGER NOT NULL,"
                    + " inserted_at TIMESTAMPTZ NOT NULL, rows BIGINT NOT NULL)");
            execute(statement, "CREATE TABLE IF NOT EXISTS " + schema + "." + quote(VERSION_TABLE)
                    + " (pipeline VARCHAR NOT NULL, version BIGINT NOT NULL, inserted_at TIMESTAMPTZ NOT NULL,"
                    + " load_id VARCHAR NOT NULL, schema VARCHAR NOT NULL, PRIMARY KEY (pipeline, version))");
            Map<String, List<TableFile>> byTable = loadPackage.files().stream()
                    .collect(Collectors.groupingBy(TableFile::table, LinkedHashMap::new, Collectors.toList()));
            long rows = 0;
            for (Map.Entry<String, List<TableFile>> table : byTable.entrySet()) {
                List<Column> columns = table.getValue().getLast().columns();
                Map<String, DataType> target = prepareTable(connection, statement, catalog, loadPackage.dataset(), table.getKey(),
                        columns);
                for (TableFile tableFile : table.getValue()) {
                    execute(statement, insert(schema, loadPackage.loadId(), tableFile, target));
                    rows += tableFile.rows();
                    listener.fileLoaded(tableFile.table(), tableFile.rows(), size(tableFile.file()));
                }
            }
            if (loadPackage.newSchema().isPresent()) {
                try (PreparedStatement version = connection.prepareStatement("INSERT INTO " + schema + "." + quote(VERSION_TABLE)
                        + " VALUES (?, ?, now(), ?, ?)")) {
                    version.setString(1, loadPackage.pipeline());
                    version.setLong(2, loadPackage.newSchema().get().version());
                    version.setString(3, loadPackage.loadId());
                    version.setString(4, SchemaCodec.toJson(loadPackage.newSchema().get()));
                    version.executeUpdate();
                }
            }
            try (PreparedStatement record = connection.prepareStatement("INSERT INTO " + schema + "." + quote(LOADS_TABLE)
                    + " VALUES (?, ?, ?, now(), ?)")) {
                record.setString(1, loadPackage.loadId());
                record.setString(2, loadPackage.pipeline());
                record.setInt(3, COMMITTED);
                record.setLong(4, rows);
                record.executeUpdate();
            }
            checkCancelled();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            running = null;
        }
    }

    /** Creates the table or adds and widens its columns; returns the type each staged column is read as. */
    private Map<String, DataType> prepareTable(Connection connection, Statement statement, String catalog, String dataset,
                                               String table, List<Column> columns) throws SQLException {
        Map<String, DataType> existing = existingColumns(connection, catalog, dataset, table);
        String qualified = quote(catalog) + "." + quote(dataset) + "." + quote(table);
        Map<String, DataType> target = new LinkedHashMap<>();
        if (existing.isEmpty()) {
            String definitions = columns.stream()
                    .map(DuckDbDestination::definition)
                    .collect(Collectors.joining(", "));
            execute(statement, "CREATE TABLE " + qualified + " (" + definitions + (columns.isEmpty() ? "" : ", ")
                    + quote(LOAD_ID_COLUMN) + " VARCHAR NOT NULL)");
            columns.forEach(column -> target.put(column.name(), column.type()));
            return target;
        }
        for (Column column : columns) {
            DataType current = existing.get(column.name());
            if (current == null) {
                execute(statement, "ALTER TABLE " + qualified + " ADD COLUMN " + definition(column));
                target.put(column.name(), column.type());
                continue;
            }
            DataType widened = current.widen(column.type());
            if (widened != current) {
                execute(statement, "ALTER TABLE " + qualified + " ALTER COLUMN " + quote(column.name()) + " SET DATA TYPE "
                        + DuckDbTypes.sqlType(column.withType(widened)));
            }
            target.put(column.name(), widened);
        }
        return target;
    }

    private static String definition(Column column) {
        return quote(column.name()) + " " + DuckDbTypes.sqlType(column) + (column.nullable() ? "" : " NOT NULL");
    }

    private static String currentCatalog(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT current_database()")) {
            result.next();
            return result.getString(1);
        }
    }

    private static Map<String, DataType> existingColumns(Connection connection, String catalog, String dataset, String table)
            throws SQLException {
        Map<String, DataType> columns = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = ? AND table_schema = ?"
                        + " AND table_name = ? ORDER BY ordinal_position")) {
            query.setString(1, catalog);
            query.setString(2, dataset);
            query.setString(3, table);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    columns.put(result.getString(1), DuckDbTypes.fromSql(result.getString(2)));
                }
            }
        }
        return columns;
    }

    private static String insert(String schema, String loadId, TableFile tableFile, Map<String, DataType> target) {
        String names = tableFile.columns().stream().map(column -> quote(column.name()) + ", ").collect(Collectors.joining());
        String types = tableFile.columns().stream()
                .map(column -> literal(column.name()) + ": " + literal(DuckDbTypes.sqlType(column.withType(target.get(column.name())))))
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + schema + "." + quote(tableFile.table())
                + " (" + names + quote(LOAD_ID_COLUMN) + ") SELECT *, " + literal(loadId)
                + " FROM read_csv(" + literal(tableFile.file().toString())
                + ", header = false, auto_detect = false, delim = " + literal(String.valueOf(StagedCsv.DELIMITER))
                + ", quote = " + literal(String.valueOf(StagedCsv.QUOTE))
                + ", escape = " + literal(String.valueOf(StagedCsv.QUOTE))
                + ", allow_quoted_nulls = false, max_line_size = 268435456"
                + ", columns = {" + types + "})";
    }

    private void execute(Statement statement, String sql) throws SQLException {
        checkCancelled();
        statement.execute(sql);
    }

    private void checkCancelled() throws SQLException {
        if (cancelled) {
            throw new SQLException("load cancelled");
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
