package io.sluice.load;

import io.sluice.pipeline.PipelineState;
import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import io.sluice.schema.ReplaceStrategy;
import io.sluice.schema.Schema;
import io.sluice.schema.SchemaCodec;
import io.sluice.schema.SchemaMerge;
import io.sluice.schema.SystemColumns;
import io.sluice.schema.TableFile;
import io.sluice.schema.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What every SQL destination does the same way: the bookkeeping tables, creating and widening tables from the staged
 * columns, stored schema versions, previews, cancelling, and the commit of a load: one transaction that moves the
 * rows every job staged into their tables, applies the write dispositions, stores the schema version and the
 * pipeline state, records the load and removes what was staged — either all of the package is committed, or none
 * of it. A destination adds how it connects, how it spells types, and where its jobs stage a file's rows: the
 * commit must be able to read them, and a job that completed must stay completed when a load fails or dies.
 */
abstract class SqlDestination implements Destination {
    static final String LOAD_ID_COLUMN = SystemColumns.LOAD_ID;
    static final String LOADS_TABLE = "_sluice_loads";
    static final String VERSION_TABLE = "_sluice_version";
    /** PostgreSQL's limit; DuckDB takes longer names, but shortening alike keeps a dataset portable between the two. */
    private static final int MAX_IDENTIFIER_LENGTH = 63;
    private static final int COMMITTED = 0;

    private volatile Statement running;
    private volatile boolean cancelled;

    /** Where the data goes, for messages: a file, or a server and database (never a password). */
    abstract String location();

    /** @throws LoadException when the destination cannot be reached */
    abstract Connection open();

    /** False when nothing can have been loaded yet (a database file not created), so reads need not connect. */
    abstract boolean exists();

    /** How the destination names schema {@code schema} of database {@code catalog} in a statement. */
    abstract String schemaName(String catalog, String schema);

    abstract String sqlType(Column column);

    /** The schema type of a column the catalog reports as {@code sqlType}; types Sluice does not create read as text. */
    abstract DataType fromSql(String sqlType);

    /** An SQL expression: the microseconds since the epoch of the timestamp {@code column}. */
    abstract String epochMicros(String column);

    /** Runs first in the load's transaction, before anything is created. */
    abstract void beforeTables(Statement statement, String catalog, String dataset) throws SQLException;

    /**
     * A relation of the rows job {@code index} staged, read as {@code types} (its table's column types), for the
     * commit to insert into their table.
     */
    abstract String stagedRows(String catalog, LoadPackage loadPackage, int index, Map<String, DataType> types);

    /** Removes what job {@code index} staged, once the commit moved its rows into their table. */
    abstract void dropStaged(Statement statement, String catalog, LoadPackage loadPackage, int index) throws SQLException;

    /** The expression that reads staged column {@code column} as a value of its table's type. */
    String stagedValue(String column, DataType type) {
        return quote(column);
    }

    /** Runs work that writes, once no other writer of this process is in the way. */
    void exclusive(Runnable work) {
        work.run();
    }

    /** Whether trying the load again may succeed (the server was unreachable, or chose this transaction to abort). */
    abstract boolean transientFailure(SQLException failure);

    @Override
    public void commit(LoadPackage loadPackage, LoadListener listener) {
        exclusive(() -> write(connection -> commitAll(connection, loadPackage, listener), "committing load " + loadPackage.loadId()));
    }

    @Override
    public int maxIdentifierLength() {
        return MAX_IDENTIFIER_LENGTH;
    }

    @Override
    public Schema storedSchema(String pipeline, String dataset) {
        return read(connection -> tableExists(connection, dataset, VERSION_TABLE)
                ? latestSchema(connection, qualified(connection, dataset, VERSION_TABLE), pipeline)
                : Schema.empty(pipeline), Schema.empty(pipeline));
    }

    private static Schema latestSchema(Connection connection, String versionTable, String pipeline) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT schema FROM " + versionTable
                + " WHERE pipeline = ? ORDER BY version DESC LIMIT 1")) {
            query.setString(1, pipeline);
            try (ResultSet result = query.executeQuery()) {
                return result.next() ? SchemaCodec.fromJson(result.getString(1)) : Schema.empty(pipeline);
            }
        }
    }

    @Override
    public PipelineState storedState(String pipeline, String dataset) {
        return read(connection -> tableExists(connection, dataset, PipelineStateTable.NAME)
                ? new PipelineStateTable(qualified(connection, dataset, PipelineStateTable.NAME)).latest(connection, pipeline)
                : PipelineState.EMPTY, PipelineState.EMPTY);
    }

    @Override
    public List<SchemaVersionRecord> schemaHistory(String pipeline, String dataset) {
        return read(connection -> {
            if (!tableExists(connection, dataset, VERSION_TABLE)) {
                return List.of();
            }
            List<SchemaVersionRecord> versions = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT version, " + epochMicros("inserted_at")
                    + ", load_id, schema FROM " + qualified(connection, dataset, VERSION_TABLE)
                    + " WHERE pipeline = ? ORDER BY version DESC")) {
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
    public boolean committed(String dataset, String loadId) {
        return read(connection -> {
            if (!tableExists(connection, dataset, LOADS_TABLE)) {
                return false;
            }
            try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM " + qualified(connection, dataset, LOADS_TABLE)
                    + " WHERE load_id = ?")) {
                query.setString(1, loadId);
                try (ResultSet result = query.executeQuery()) {
                    return result.next();
                }
            }
        }, false);
    }

    @Override
    public TablePreview preview(String dataset, String table, int limit) {
        return read(connection -> {
            if (!tableExists(connection, dataset, table)) {
                throw new LoadException("table " + dataset + "." + table + " does not exist in " + location(), false, null);
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

    interface Read<T> {
        T apply(Connection connection) throws SQLException;
    }

    interface Write {
        void apply(Connection connection) throws SQLException;
    }

    /** Writes through a connection of its own; a failure names {@code what} was being done and whether to try again. */
    void write(Write write, String what) {
        try (Connection connection = open()) {
            write.apply(connection);
        } catch (SQLException e) {
            throw new LoadException(cancelled ? "load cancelled" : what + " into " + location() + " failed: " + e.getMessage(),
                    !cancelled && transientFailure(e), e);
        }
    }

    /** Reads the destination if it exists; one never loaded answers {@code absent} (or, with none, "nothing loaded"). */
    <T> T read(Read<T> read, T absent) {
        if (!exists()) {
            if (absent == null) {
                throw new LoadException("nothing was loaded into " + location() + " yet", false, null);
            }
            return absent;
        }
        try (Connection connection = open()) {
            return read.apply(connection);
        } catch (SQLException e) {
            throw new LoadException("reading " + location() + " failed: " + e.getMessage(), transientFailure(e), e);
        }
    }

    boolean tableExists(Connection connection, String dataset, String table) throws SQLException {
        return !existingColumns(connection, currentCatalog(connection), dataset, table).isEmpty();
    }

    String qualified(Connection connection, String dataset, String table) throws SQLException {
        return qualified(currentCatalog(connection), dataset, table);
    }

    String qualified(String catalog, String schema, String table) {
        return schemaName(catalog, schema) + "." + quote(table);
    }

    private void commitAll(Connection connection, LoadPackage loadPackage, LoadListener listener) throws SQLException {
        String catalog = currentCatalog(connection);
        String dataset = loadPackage.dataset();
        inTransaction(connection, statement -> {
            listener.commitStarted(loadPackage);
            beforeTables(statement, catalog, dataset);
            execute(statement, "CREATE SCHEMA IF NOT EXISTS " + schemaName(catalog, dataset));
            execute(statement, "CREATE TABLE IF NOT EXISTS " + qualified(catalog, dataset, LOADS_TABLE)
                    + " (load_id VARCHAR NOT NULL PRIMARY KEY, pipeline VARCHAR NOT NULL, status INTEGER NOT NULL,"
                    + " inserted_at TIMESTAMPTZ NOT NULL, rows BIGINT NOT NULL)");
            execute(statement, "CREATE TABLE IF NOT EXISTS " + qualified(catalog, dataset, VERSION_TABLE)
                    + " (pipeline VARCHAR NOT NULL, version BIGINT NOT NULL, inserted_at TIMESTAMPTZ NOT NULL,"
                    + " load_id VARCHAR NOT NULL, schema VARCHAR NOT NULL, PRIMARY KEY (pipeline, version))");
            PipelineStateTable state = new PipelineStateTable(qualified(catalog, dataset, PipelineStateTable.NAME));
            execute(statement, state.createStatement());
            String versionTable = qualified(catalog, dataset, VERSION_TABLE);
            // Read under the dataset's lock: a load of the pipeline committed since this package was sealed is in it.
            Schema stored = latestSchema(connection, versionTable, loadPackage.pipeline());
            Schema committing = committedSchema(stored, loadPackage);
            CommitTables tables = new CommitTables(this, statement, catalog, dataset, loadPackage.loadId());
            for (String dropped : loadPackage.droppedTables()) {
                execute(statement, "DROP TABLE IF EXISTS " + tables.name(dropped));
            }
            for (LoadPackage.ReplacedTable replaced : replacedTables(loadPackage, committing)) {
                if (tables.exists(replaced.table())) {
                    replace(statement, tables.name(replaced.table()), replaced);
                }
            }
            Map<String, List<Integer>> jobsByTable = new LinkedHashMap<>();
            for (int index = 0; index < loadPackage.files().size(); index++) {
                jobsByTable.computeIfAbsent(loadPackage.files().get(index).table(), table -> new ArrayList<>()).add(index);
            }
            long rows = 0;
            for (Map.Entry<String, List<Integer>> table : jobsByTable.entrySet()) {
                List<Column> columns = loadPackage.files().get(table.getValue().getLast()).columns();
                Map<String, DataType> target = prepareTable(connection, statement, catalog, dataset, table.getKey(), columns);
                for (int index : table.getValue()) {
                    TableFile tableFile = loadPackage.files().get(index);
                    String names = tableFile.columns().stream().map(column -> quote(column.name()) + ", ").collect(Collectors.joining());
                    String values = tableFile.columns().stream()
                            .map(column -> stagedValue(column.name(), target.get(column.name())) + ", ")
                            .collect(Collectors.joining());
                    execute(statement, "INSERT INTO " + qualified(catalog, dataset, tableFile.table()) + " (" + names
                            + quote(LOAD_ID_COLUMN) + ") SELECT " + values + literal(loadPackage.loadId()) + " FROM "
                            + stagedRows(catalog, loadPackage, index, target));
                    dropStaged(statement, catalog, loadPackage, index);
                    listener.fileLoaded(tableFile.table(), tableFile.rows(), size(tableFile.file()));
                    rows += tableFile.rows();
                }
            }
            for (LoadPackage.MergedTable merged : loadPackage.mergedTables()) {
                if (tables.exists(merged.table())) {
                    TableMerge.of(merged.strategy()).apply(new MergeRows(tables, merged));
                }
            }
            if (committing.version() != stored.version()) {
                try (PreparedStatement version = connection.prepareStatement("INSERT INTO " + versionTable + " VALUES (?, ?, now(), ?, ?)")) {
                    version.setString(1, loadPackage.pipeline());
                    version.setLong(2, committing.version());
                    version.setString(3, loadPackage.loadId());
                    version.setString(4, SchemaCodec.toJson(committing));
                    version.executeUpdate();
                }
            }
            if (loadPackage.newState().isPresent()) {
                state.write(connection, loadPackage.pipeline(), loadPackage.loadId(), loadPackage.newState().get());
            }
            try (PreparedStatement record = connection.prepareStatement("INSERT INTO " + qualified(catalog, dataset, LOADS_TABLE)
                    + " VALUES (?, ?, ?, now(), ?)")) {
                record.setString(1, loadPackage.loadId());
                record.setString(2, loadPackage.pipeline());
                record.setInt(3, COMMITTED);
                record.setLong(4, rows);
                record.executeUpdate();
            }
            listener.committing(loadPackage, rows);
        });
    }

    /**
     * The schema the commit stores: the package's schema merged onto the one stored now, numbered one on from it when
     * that changes anything. Numbered here, under the dataset's lock, and never when the package was sealed: two
     * packages sealed against one stored version both commit, one after the other, each as a version of its own.
     */
    private static Schema committedSchema(Schema stored, LoadPackage loadPackage) {
        if (loadPackage.newSchema().isEmpty()) {
            return stored;
        }
        List<TableSchema> merged = SchemaMerge.merge(stored.tables(), loadPackage.newSchema().get().tables(), loadPackage.droppedTables());
        return merged.equals(stored.tables()) ? stored : new Schema(loadPackage.pipeline(), stored.version() + 1, merged);
    }

    /**
     * The tables the commit empties: those the package names, with their columns as the committed schema has them (a
     * table re-created by a staging-optimized replace keeps the columns other loads added), and every other table of
     * their resources that the committed schema has, emptied the same way — a nested table that a load committed
     * since this package was sealed created is replaced too, as it would be had the loads run one after the other.
     */
    private static List<LoadPackage.ReplacedTable> replacedTables(LoadPackage loadPackage, Schema committing) {
        Map<String, LoadPackage.ReplacedTable> replaced = new LinkedHashMap<>();
        Map<String, ReplaceStrategy> byResource = new LinkedHashMap<>();
        for (LoadPackage.ReplacedTable table : loadPackage.replacedTables()) {
            Optional<TableSchema> committed = committing.table(table.table());
            replaced.put(table.table(), new LoadPackage.ReplacedTable(table.table(), table.strategy(),
                    committed.map(TableSchema::columns).orElse(table.columns())));
            committed.ifPresent(schema -> byResource.putIfAbsent(schema.resource(), table.strategy()));
        }
        for (TableSchema table : committing.tables()) {
            ReplaceStrategy strategy = byResource.get(table.resource());
            if (strategy != null) {
                replaced.putIfAbsent(table.name(), new LoadPackage.ReplacedTable(table.name(), strategy, table.columns()));
            }
        }
        return List.copyOf(replaced.values());
    }

    interface Work {
        void apply(Statement statement) throws SQLException;
    }

    /** Runs work in one transaction, its statement the one {@link #cancel} stops; commits unless cancelled meanwhile. */
    void inTransaction(Connection connection, Work work) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            running = statement;
            work.apply(statement);
            checkCancelled();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollback(connection, e);
            throw e;
        } finally {
            running = null;
        }
    }

    /** Empties a table the load replaces, inside the commit, the way its strategy says. */
    private void replace(Statement statement, String table, LoadPackage.ReplacedTable replaced) throws SQLException {
        switch (replaced.strategy()) {
            case TRUNCATE_AND_INSERT -> execute(statement, truncate(table));
            case INSERT_FROM_STAGING -> execute(statement, "DELETE FROM " + table);
            case STAGING_OPTIMIZED -> {
                execute(statement, "DROP TABLE " + table);
                createTable(statement, table, replaced.columns());
            }
        }
    }

    /** The statement that removes every row of {@code table} the quickest way the destination has, in a transaction. */
    abstract String truncate(String table);

    /** Creates the table or adds and widens its columns; returns the type each staged column is read as. */
    private Map<String, DataType> prepareTable(Connection connection, Statement statement, String catalog, String dataset,
                                               String table, List<Column> columns) throws SQLException {
        Map<String, DataType> existing = existingColumns(connection, catalog, dataset, table);
        String qualified = qualified(catalog, dataset, table);
        Map<String, DataType> target = new LinkedHashMap<>();
        if (existing.isEmpty()) {
            createTable(statement, qualified, columns);
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
                String type = sqlType(column.withType(widened));
                // USING names the conversion: PostgreSQL refuses to change a type without one when no implicit cast exists.
                execute(statement, "ALTER TABLE " + qualified + " ALTER COLUMN " + quote(column.name()) + " SET DATA TYPE " + type
                        + " USING " + quote(column.name()) + "::" + type);
            }
            target.put(column.name(), widened);
        }
        return target;
    }

    /** Creates {@code table} (a qualified name) with {@code columns} and the load id every row carries. */
    private void createTable(Statement statement, String table, List<Column> columns) throws SQLException {
        execute(statement, "CREATE TABLE " + table + " (" + columns.stream().map(column -> definition(column) + ", ")
                .collect(Collectors.joining()) + quote(LOAD_ID_COLUMN) + " VARCHAR NOT NULL)");
    }

    private String definition(Column column) {
        return quote(column.name()) + " " + sqlType(column) + (column.nullable() ? "" : " NOT NULL");
    }

    static String currentCatalog(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT current_database()")) {
            result.next();
            return result.getString(1);
        }
    }

    Map<String, DataType> existingColumns(Connection connection, String catalog, String dataset, String table)
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
                    columns.put(result.getString(1), fromSql(result.getString(2)));
                }
            }
        }
        return columns;
    }

    /**
     * Rolls back after {@code failure}; a rollback that fails too (the connection died) is kept beside the failure,
     * never in its place, so the error still says what went wrong first.
     */
    static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    void execute(Statement statement, String sql) throws SQLException {
        checkCancelled();
        statement.execute(sql);
    }

    void checkCancelled() throws SQLException {
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

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
