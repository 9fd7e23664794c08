package io.sluice.load;

import io.sluice.pipeline.PostgresDestinationSpec;
import io.sluice.schema.Column;
import io.sluice.schema.CsvLayout;
import io.sluice.schema.DataType;
import io.sluice.schema.Naming;
import io.sluice.schema.SystemColumns;
import io.sluice.schema.TableFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Loads into PostgreSQL through COPY: each staged file (or copy of a source's CSV file) streams into an unlogged table
 * of the {@code <dataset>_staging} schema; the commit's {@code INSERT … SELECT} moves its rows to the target table, so a
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
    private final Naming naming = new Naming(PostgresDestinationSpec.CAPABILITIES.maxIdentifierLength());

    /** @param pool connections to the spec's database as its user (see {@link ConnectionPools}) */
    PostgresDestination(PostgresDestinationSpec spec, DataSource pool) {
        super(PostgresDestinationSpec.CAPABILITIES);
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
        connections().execute(statement, "SELECT pg_advisory_xact_lock(hashtext(" + literal("sluice dataset " + dataset) + "))");
    }

    /**
     * Whether the job's staging table holds all its rows; one that lost them (PostgreSQL empties unlogged tables after
     * a crash) is loaded again.
     */
    @Override
    public boolean jobLoaded(LoadPackage loadPackage, LoadPackages.LoadJob job) {
        return connections().read(connection -> {
            String staging = stagingSchema(loadPackage.dataset());
            String table = stagingTable(loadPackage, job.index());
            if (!tables().exists(connection, staging, table)) {
                return false;
            }
            try (Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT count(*) FROM " + qualified(connection, staging, table))) {
                return result.next() && result.getLong(1) == job.file().rows();
            }
        }, false);
    }

    /**
     * Copies one staged file into an unlogged table of its own in the staging schema, in a transaction of its own, so
     * a load that fails or dies part-way keeps the jobs it finished; doing it again replaces what was staged.
     */
    @Override
    public void loadJob(LoadPackage loadPackage, LoadPackages.LoadJob job) {
        connections().write(connection -> {
            String catalog = SqlConnections.currentCatalog(connection);
            createStagingSchema(connection, catalog, loadPackage.dataset());
            connections().inTransaction(connection, statement -> {
                String staging = stagingTable(catalog, loadPackage, job.index());
                connections().execute(statement, "DROP TABLE IF EXISTS " + staging);
                stage(connection, statement, staging, job.file(), packageTypes(loadPackage, job.file().table()));
            });
        }, "loading " + job.file().file().getFileName());
    }

    @Override
    public void discard(LoadPackage loadPackage) {
        connections().write(connection -> {
            String catalog = SqlConnections.currentCatalog(connection);
            try (Statement statement = connection.createStatement()) {
                for (int index = 0; index < loadPackage.files().size(); index++) {
                    statement.execute("DROP TABLE IF EXISTS " + stagingTable(catalog, loadPackage, index));
                }
            }
        }, "removing the staged tables of load " + loadPackage.loadId());
    }

    @Override
    String stagedRows(String catalog, LoadPackage loadPackage, int index, Map<String, DataType> types) {
        return stagingTable(catalog, loadPackage, index);
    }

    @Override
    void dropStaged(Statement statement, String catalog, LoadPackage loadPackage, int index) throws SQLException {
        connections().execute(statement, "DROP TABLE " + stagingTable(catalog, loadPackage, index));
    }

    /** Under the dataset's lock, for the reason {@link #beforeTables} gives. */
    private void createStagingSchema(Connection connection, String catalog, String dataset) throws SQLException {
        connections().inTransaction(connection, statement -> {
            beforeTables(statement, catalog, dataset);
            tables().createSchema(statement, catalog, stagingSchema(dataset));
        });
    }

    /**
     * Unlogged: a staging table needs no crash safety, a job whose table lost its rows is loaded again. A staged file in
     * our dialect names its columns; a copy of a source's CSV file is read in its own dialect ({@link #copiedFields}).
     */
    private void stage(Connection connection, Statement statement, String stagingTable, TableFile tableFile, Map<String, DataType> types)
            throws SQLException {
        List<String> stagedColumns = new ArrayList<>(tableFile.columns().stream()
                .map(column -> quote(column.name()) + " " + stagedType(column.withType(types.get(column.name()))))
                .toList());
        List<String> fields;
        String format;
        if (tableFile.layout().isPresent()) {
            CsvLayout layout = tableFile.layout().get();
            fields = copiedFields(tableFile, layout, stagedColumns);
            format = "FORMAT csv, HEADER " + layout.header() + ", DELIMITER " + literal(String.valueOf(layout.delimiter()))
                    + ", QUOTE " + literal(String.valueOf(layout.quote())) + ", NULL ''";
        } else {
            fields = tableFile.columns().stream().map(column -> quote(column.name())).toList();
            format = "FORMAT csv, NULL ''";
        }
        connections().execute(statement, "CREATE UNLOGGED TABLE " + stagingTable + " (" + String.join(", ", stagedColumns) + ")");
        copy(connection, "COPY " + stagingTable + (fields.isEmpty() ? "" : " (" + String.join(", ", fields) + ")") + " FROM STDIN WITH ("
                + format + ")", tableFile);
    }

    /**
     * The staging columns the fields of a copy of a source's CSV file go to, in order: the row id in front, then each
     * field's column, so that the commit reads the copy as it reads any staged file (the file's other columns are null).
     * A field that goes to no column (empty in every row) is read into a text column of its own, which the commit
     * leaves; it is added to {@code stagedColumns}. The source copied only files whose every field PostgreSQL reads as
     * the normal path's staged text of it: an unquoted empty field is null in both, and no field is a quoted empty one.
     */
    private static List<String> copiedFields(TableFile tableFile, CsvLayout layout, List<String> stagedColumns) {
        Set<String> names = tableFile.columns().stream().map(Column::name).collect(Collectors.toCollection(HashSet::new));
        List<String> fields = new ArrayList<>(List.of(quote(SystemColumns.ID)));
        for (String column : layout.columns()) {
            if (column.isEmpty()) {
                String unread = "_sluice_unread_" + fields.size();
                while (!names.add(unread)) {
                    unread += "_";
                }
                stagedColumns.add(quote(unread) + " text");
                fields.add(quote(unread));
            } else {
                fields.add(quote(column));
            }
        }
        return fields;
    }

    /** The type each column of {@code table} has in the package: the types of its last staged file, the widest. */
    private static Map<String, DataType> packageTypes(LoadPackage loadPackage, String table) {
        Map<String, DataType> types = new LinkedHashMap<>();
        for (TableFile file : loadPackage.files()) {
            if (file.table().equals(table)) {
                file.columns().forEach(column -> types.put(column.name(), column.type()));
            }
        }
        return types;
    }

    /** The staging table of job {@code index}: named by load id, so loads of other pipelines never meet it. */
    private static String stagingTable(LoadPackage loadPackage, int index) {
        return "_sluice_" + loadPackage.loadId() + "_" + index;
    }

    /** The staging table of job {@code index}, as a statement names it. */
    private String stagingTable(String catalog, LoadPackage loadPackage, int index) {
        return qualified(catalog, stagingSchema(loadPackage.dataset()), stagingTable(loadPackage, index));
    }

    private String stagingSchema(String dataset) {
        return naming.shorten(dataset + "_staging");
    }

    /**
     * Streams the staged file as it is: the StagedCsv dialect, and the copies' (a quote in a field doubled), are
     * PostgreSQL's CSV with NULL as an empty unquoted field.
     */
    private void copy(Connection connection, String sql, TableFile tableFile) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try (InputStream in = Files.newInputStream(tableFile.file())) {
            byte[] buffer = new byte[COPY_BUFFER];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                // Statement.cancel does not reach a COPY: look at the flag between chunks instead.
                connections().checkCancelled();
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
