package io.sluice.load;

import io.sluice.pipeline.DestinationCapabilities;
import io.sluice.pipeline.PipelineState;
import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import io.sluice.schema.Schema;
import io.sluice.schema.SystemColumns;
import io.sluice.schema.TableFile;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one base of the SQL destinations, which answers {@link Destination} through collaborators with one job each:
 * {@link SqlConnections} (connections and cancelling), {@link DatasetReads} (what a dataset holds),
 * {@link PackageCommit} (the commit of one package), {@link TableDefinitions} (creating and widening tables) and
 * {@link BookkeepingTables} (the {@code _sluice_*} tables). A destination adds what differs: how it connects, how it
 * spells types and names, and how the commit moves a job's rows into their table, as its capabilities' staging says:
 * read where they are, or copied inside the commit.
 */
abstract class SqlDestination implements Destination {
    static final String LOAD_ID_COLUMN = SystemColumns.LOAD_ID;

    private final DestinationCapabilities capabilities;
    private final SqlConnections connections = new SqlConnections(this);
    private final TableDefinitions tables = new TableDefinitions(this);
    private final DatasetReads reads = new DatasetReads(this);

    SqlDestination(DestinationCapabilities capabilities) {
        this.capabilities = capabilities;
    }

    /** Where the data goes, for messages: a file, or a server and database (never a password). */
    abstract String location();

    /** @throws LoadException when the destination cannot be reached */
    abstract Connection open();

    /** False when nothing can have been loaded yet (a database file not created), so reads need not connect. */
    abstract boolean exists();

    /** Whether trying the load again may succeed (the server was unreachable, or chose this transaction to abort). */
    abstract boolean transientFailure(SQLException failure);

    /** How the destination names schema {@code schema} of database {@code catalog} in a statement. */
    abstract String schemaName(String catalog, String schema);

    abstract String sqlType(Column column);

    /**
     * What follows each column of a new table and its type: how the database stores it, asked once per table. Nothing
     * unless a destination says.
     */
    Function<Column, String> storage(Connection connection) throws SQLException {
        return column -> "";
    }

    /** The schema type of a column the catalog reports as {@code sqlType}; types Sluice does not create read as text. */
    abstract DataType fromSql(String sqlType);

    /** An SQL expression: the microseconds since the epoch of the timestamp {@code column}. */
    abstract String epochMicros(String column);

    /**
     * The table's columns and the schema type of each, in order; empty when there is no such table. Read from
     * {@code information_schema}, which every SQL database has; a destination may know a faster way.
     */
    Map<String, DataType> columns(Connection connection, String catalog, String dataset, String table) throws SQLException {
        return columns(connection, "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = ?"
                + " AND table_schema = ? AND table_name = ? ORDER BY ordinal_position", catalog, dataset, table);
    }

    /**
     * Whether the schema exists, of those the user may see. Asked before {@code CREATE SCHEMA IF NOT EXISTS}, which
     * PostgreSQL refuses a user who may not create schemas even when the schema is there: a user given only the
     * dataset's schema could not load at all.
     */
    boolean schemaExists(Connection connection, String catalog, String schema) throws SQLException {
        return answers(connection, "SELECT 1 FROM information_schema.schemata WHERE catalog_name = ? AND schema_name = ?", catalog, schema);
    }

    /** Whether a query of text parameters answers any row. */
    static boolean answers(Connection connection, String sql, String... values) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                query.setString(i + 1, values[i]);
            }
            try (ResultSet found = query.executeQuery()) {
                return found.next();
            }
        }
    }

    /** Whether the table exists. */
    boolean tableExists(Connection connection, String catalog, String dataset, String table) throws SQLException {
        return !columns(connection, catalog, dataset, table).isEmpty();
    }

    /**
     * What {@code read} reads from a table, or {@code absent} when the table does not exist; outside any transaction.
     * Asks whether it exists first; a destination may know a faster way.
     */
    <T> T readTable(Connection connection, String catalog, String dataset, String table, SqlConnections.Read<T> read, T absent)
            throws SQLException {
        return tableExists(connection, catalog, dataset, table) ? read.apply(connection) : absent;
    }

    /** The columns a query answers as (name, SQL type) rows, in its order. */
    final Map<String, DataType> columns(Connection connection, String sql, String... values) throws SQLException {
        Map<String, DataType> columns = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                query.setString(i + 1, values[i]);
            }
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    columns.put(result.getString(1), fromSql(result.getString(2)));
                }
            }
        }
        return columns;
    }

    /** The statement that removes every row of {@code table} the quickest way the destination has, in a transaction. */
    abstract String truncate(String table);

    /** Runs first in the load's transaction, before anything is created. */
    abstract void beforeTables(Statement statement, String catalog, String dataset) throws SQLException;

    /**
     * Moves the rows of the jobs {@code indices}, all of one table, into {@code into}: their table, or the table that
     * holds a merge's incoming rows apart ({@link #apartTable}); it exists with {@code target}'s types for the jobs'
     * columns. The rows are marked with the load's id, in the commit's transaction. Each job is told to {@code progress}
     * from the commit's thread as it starts and as it completes ({@link #eachJob}, unless the destination moves several
     * at once).
     */
    abstract void insertJobs(Statement statement, LoadPackage loadPackage, List<Integer> indices, String into,
                             Map<String, DataType> target, JobProgress progress) throws SQLException;

    /** Moves the jobs one after the other, each told to {@code progress} as it starts and as it completes. */
    static void eachJob(List<Integer> indices, JobProgress progress, JobMove move) throws SQLException {
        for (int index : indices) {
            progress.started(index);
            move.into(index);
            progress.completed(index);
        }
    }

    /** Moves one job's file into its table. */
    @FunctionalInterface
    interface JobMove {
        void into(int index) throws SQLException;
    }

    /** What a commit tells of the jobs it moves: each has started before it completes. */
    interface JobProgress {
        void started(int index);

        void completed(int index);
    }

    /**
     * Creates the table that holds the rows the load merges into {@code table} (named {@code root} in statements) apart
     * from its stored rows, with its columns, when this destination merges them apart ({@link MergeRows}), and names it;
     * empty when they go into the table, told apart by their load id. {@code number} is the commit's count of apart
     * tables so far, so that each gets a name of its own.
     */
    abstract Optional<String> apartTable(Statement statement, LoadPackage loadPackage, String table, String root, int number)
            throws SQLException;

    /**
     * After a commit that failed with {@code failure}: drops what it made outside its transaction, adding to the failure
     * what could not be dropped. Nothing, unless the destination copies beside the commit.
     */
    void afterFailedCommit(LoadPackage loadPackage, Exception failure) {
    }

    /**
     * Inserts the rows of {@code rows}, a relation with the columns of job {@code index}'s file, into {@code into}, each
     * column read as its {@code target} type ({@link #stagedValue}) and marked with the load's id.
     */
    final void insertFrom(Statement statement, LoadPackage loadPackage, int index, String into, Map<String, DataType> target,
                          String rows) throws SQLException {
        TableFile tableFile = loadPackage.files().get(index);
        String names = tableFile.columns().stream().map(column -> quote(column.name()) + ", ").collect(Collectors.joining());
        String values = tableFile.columns().stream()
                .map(column -> stagedValue(column.name(), target.get(column.name())) + ", ")
                .collect(Collectors.joining());
        connections.execute(statement, "INSERT INTO " + into + " (" + names + quote(LOAD_ID_COLUMN) + ") SELECT " + values
                + literal(loadPackage.loadId()) + " FROM " + rows);
    }

    /** The size of a job's staged file, 0 when it cannot be read: it is weighed and reported, never trusted. */
    static long stagedBytes(TableFile tableFile) {
        try {
            return Files.size(tableFile.file());
        } catch (IOException e) {
            return 0;
        }
    }

    /** The expression that reads staged column {@code column} as a value of its table's type. */
    String stagedValue(String column, DataType type) {
        return quote(column);
    }

    /** Runs work that writes, once no other writer of this process is in the way. */
    void exclusive(Runnable work) {
        work.run();
    }

    @Override
    public final DestinationCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public void commit(LoadPackage loadPackage, LoadListener listener) {
        exclusive(() -> connections.write(connection -> new PackageCommit(this, connection, loadPackage, listener).commit(),
                "committing load " + loadPackage.loadId()));
    }

    @Override
    public Schema storedSchema(String pipeline, String dataset) {
        return reads.storedSchema(pipeline, dataset);
    }

    @Override
    public PipelineState storedState(String pipeline, String dataset) {
        return reads.storedState(pipeline, dataset);
    }

    @Override
    public StoredPipeline storedPipeline(String pipeline, String dataset) {
        return reads.storedPipeline(pipeline, dataset);
    }

    @Override
    public List<SchemaVersionRecord> schemaHistory(String pipeline, String dataset) {
        return reads.schemaHistory(pipeline, dataset);
    }

    @Override
    public boolean committed(String dataset, String loadId) {
        return reads.committed(dataset, loadId);
    }

    @Override
    public TablePreview preview(String dataset, String table, int limit) {
        return reads.preview(dataset, table, limit);
    }

    @Override
    public void cancel() {
        connections.cancel();
    }

    SqlConnections connections() {
        return connections;
    }

    TableDefinitions tables() {
        return tables;
    }

    /** Table {@code table} of dataset {@code dataset} in the database the connection is in, as a statement names it. */
    String qualified(Connection connection, String dataset, String table) throws SQLException {
        return qualified(SqlConnections.currentCatalog(connection), dataset, table);
    }

    String qualified(String catalog, String schema, String table) {
        return schemaName(catalog, schema) + "." + quote(table);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
