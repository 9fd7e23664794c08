package io.sluice.load;

import io.sluice.pipeline.DestinationCapabilities;
import io.sluice.pipeline.PostgresDestinationSpec;
import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import io.sluice.schema.SystemColumns;
import io.sluice.schema.TableFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Loads into PostgreSQL through COPY inside the commit's transaction: each job's file (or copy of a source's CSV file)
 * streams straight into its table, or through a temporary table when it must be converted on the way, so a commit
 * that fails or dies leaves nothing and the next attempt loads every job exactly once. Several files of one table are
 * copied on other connections at once too, into tables of the staging schema that only the commit moves rows from
 * ({@link #insertJobs}). Connections come from a pool shared by the destinations of one server, database, user and
 * password ({@link ConnectionPools}); the other connections are opened for the commit.
 */
final class PostgresDestination extends SqlDestination {
    private static final int COPY_BUFFER = 1 << 16;
    /**
     * The memory each sort and hash of the commit's transaction may take before it spills to disk: a merge sorts and
     * hashes this load's keys (at a million rows, a third faster than with the server's default of 4MB). The
     * transaction's own: the server's setting stays as it is for everyone else.
     */
    private static final String COMMIT_WORK_MEMORY = "64MB";
    /** How the tables that hold a merge's rows apart are named, their number after it. */
    private static final String ROWS_APART = "_sluice_incoming_";
    /** The setting a commit puts its load id in, for the rows it copies straight into their table. */
    private static final String LOAD_ID_SETTING = "sluice.load_id";
    /**
     * The load id column's default: the commit's load id; outside a commit of ours null, as with no default (a
     * session that had the setting keeps it, emptied, after the transaction).
     */
    private static final String LOAD_ID_DEFAULT = "NULLIF(current_setting(" + literal(LOAD_ID_SETTING) + ", true), '')";
    /** Connection failures (08), transaction rollbacks such as deadlocks (40), and a server out of resources (53). */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53");
    /**
     * A server shutting down or restarting: connections ended by an administrator or a crash of another backend
     * (57P01, 57P02), and "cannot connect now" while it starts up or shuts down (57P03). Not the rest of class 57:
     * 57014 is a cancelled statement, which is how a cancelled run stops.
     */
    private static final Set<String> TRANSIENT_STATES = Set.of("57P01", "57P02", "57P03");

    /**
     * How many connections at most copy a table's files at once, the commit's own among them: the machine's cores, from
     * 2 to 4. PostgreSQL parses each COPY on one core of its own, and the commit waits for them.
     */
    private static final int MOST_COPIES_AT_ONCE = 4;

    private final PostgresDestinationSpec spec;
    private final DataSource pool;
    private final NewConnections sideConnections;
    private final long parallelCopyFrom;

    /**
     * @param pool            connections to the spec's database as its user (see {@link ConnectionPools})
     * @param sideConnections new connections to it, outside the pool, for the copies a commit makes beside its own: a
     *                        commit that waited for the pool while holding one of its connections could wait forever
     * @param parallelCopyFrom the bytes a table's files must hold together to be copied on several connections at once
     */
    PostgresDestination(PostgresDestinationSpec spec, DataSource pool, NewConnections sideConnections, long parallelCopyFrom) {
        super(PostgresDestinationSpec.CAPABILITIES);
        this.spec = spec;
        this.pool = pool;
        this.sideConnections = sideConnections;
        this.parallelCopyFrom = parallelCopyFrom;
    }

    /** Opens a new connection to the destination's database. */
    interface NewConnections {
        Connection open() throws SQLException;
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
     * name fail in PostgreSQL, and two loads widening one table would deadlock. The commit's sorts and hashes then get
     * {@link #COMMIT_WORK_MEMORY}.
     */
    @Override
    void beforeTables(Statement statement, String catalog, String dataset) throws SQLException {
        // Before anything else: a server whose default is a snapshot per transaction would read the dataset as it was
        // before the lock was granted, and not see the rows of the copies made beside the commit.
        connections().execute(statement, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        connections().execute(statement, datasetLock(dataset, "pg_advisory_xact_lock"));
        connections().execute(statement, "SET LOCAL work_mem = " + literal(COMMIT_WORK_MEMORY));
    }

    /** The query that takes the lock of {@code dataset} by {@code function} (one that waits for it, or one that tries). */
    private static String datasetLock(String dataset, String function) {
        return "SELECT " + function + "(hashtext(" + literal("sluice dataset " + dataset) + "))";
    }

    /**
     * Drops the tables of rows that copies beside the failed commit filled in the staging schema ({@link #insertJobs}),
     * when it may have made any (a table of several files), under the dataset's lock if it is free at once: no commit
     * into the dataset is using one then, so each is what a failed or dead commit left. When another commit holds it, a
     * table of the same name may be that commit's; the next commit that makes one of the name drops it first.
     */
    @Override
    void afterFailedCommit(LoadPackage loadPackage, Exception failure) {
        if (loadPackage.files().stream().map(TableFile::table).distinct().count() == loadPackage.files().size()) {
            return;
        }
        String schema = stagingSchema(loadPackage.dataset());
        try (Connection connection = sideConnections.open(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            // Not through connections(): a cancelled commit's statements are refused, and its tables must go too.
            List<String> tables = new ArrayList<>();
            try (ResultSet locked = statement.executeQuery(datasetLock(loadPackage.dataset(), "pg_try_advisory_xact_lock"))) {
                locked.next();
                if (!locked.getBoolean(1)) {
                    return;
                }
            }
            try (PreparedStatement query = connection.prepareStatement("SELECT tablename FROM pg_tables WHERE schemaname = ?"
                    + " AND starts_with(tablename, " + literal(ROWS_APART) + ")")) {
                query.setString(1, schema);
                try (ResultSet result = query.executeQuery()) {
                    while (result.next()) {
                        tables.add(result.getString(1));
                    }
                }
            }
            for (String table : tables) {
                statement.execute("DROP TABLE " + quote(schema) + "." + quote(table));
            }
            connection.commit();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Nothing of a job outlives the commit that copies it ({@link DestinationCapabilities.Staging#IN_COMMIT}). */
    @Override
    public boolean jobLoaded(LoadPackage loadPackage, LoadPackages.LoadJob job) {
        return false;
    }

    /** Never asked: the commit copies every job ({@link DestinationCapabilities.Staging#IN_COMMIT}). */
    @Override
    public void loadJob(LoadPackage loadPackage, LoadPackages.LoadJob job) {
        throw new IllegalStateException("PostgreSQL loads job " + job.name() + " inside the commit of load " + loadPackage.loadId());
    }

    /**
     * Moves one job's file: copied straight into its table when {@link #straightCopy} said so, the load id from the
     * column's default, set for this transaction; else copied into a temporary table of the package's types first, and
     * inserted from there, converted to the table's types.
     */
    private void insertJob(Statement statement, LoadPackage loadPackage, int index, String into, Map<String, DataType> target,
                           boolean straight) throws SQLException {
        TableFile tableFile = loadPackage.files().get(index);
        if (straight) {
            connections().execute(statement, "SELECT set_config(" + literal(LOAD_ID_SETTING) + ", " + literal(loadPackage.loadId()) + ", true)");
            copy(statement.getConnection(), into, fields(tableFile), tableFile);
        } else {
            insertThroughTemporaryTable(statement, loadPackage, index, into, target, packageColumns(loadPackage, tableFile), fields(tableFile));
        }
    }

    /** The columns of the job's file, each with its type in the package. */
    private static List<Column> packageColumns(LoadPackage loadPackage, TableFile tableFile) {
        Map<String, DataType> types = packageTypes(loadPackage, tableFile.table());
        return tableFile.columns().stream().map(column -> column.withType(types.get(column.name()))).toList();
    }

    /**
     * Copies the job's file into a temporary table of the package's types (bytes as text), then inserts from it,
     * converted to the table's types, as a staging table did. A field that goes to no column (empty in every row) is
     * read into a text column of its own, which the insert leaves.
     */
    private void insertThroughTemporaryTable(Statement statement, LoadPackage loadPackage, int index, String into,
                                             Map<String, DataType> target, List<Column> columns, List<String> fields) throws SQLException {
        List<String> definitions = new ArrayList<>(columns.stream().map(column -> quote(column.name()) + " " + stagedType(column)).toList());
        Set<String> names = columns.stream().map(Column::name).collect(Collectors.toCollection(HashSet::new));
        List<String> read = new ArrayList<>();
        for (String field : fields) {
            if (field.isEmpty()) {
                String unread = "_sluice_unread_" + read.size();
                while (!names.add(unread)) {
                    unread += "_";
                }
                definitions.add(quote(unread) + " text");
                field = unread;
            }
            read.add(field);
        }
        String temporary = quote("_sluice_job_" + index);
        connections().execute(statement, "CREATE TEMPORARY TABLE " + temporary + " (" + String.join(", ", definitions) + ") ON COMMIT DROP");
        copy(statement.getConnection(), temporary, read, loadPackage.files().get(index));
        insertFrom(statement, loadPackage, index, into, target, temporary);
        connections().execute(statement, "DROP TABLE " + temporary);
    }

    /**
     * Not logged. The columns alone, without the table's constraints: a row the table refuses is refused as it moves in,
     * in the table's name. The load id is the column's default as a constant: no one else loads into the table, and a
     * million rows copied in took 0.2 s less than with the setting.
     * <p>
     * For a table the package has several files of, worth copying at once, a table in the dataset's staging schema,
     * which other connections can copy into beside the commit ({@link #insertJobs}): at a million rows in 4 files,
     * 0.6–0.7 s where the commit's copies took 1.0–1.2 s one after the other. It is made by a connection of its own, and the commit drops it; a
     * commit that fails drops it after ({@link #afterFailedCommit}), and one that died leaves it to the next commit into
     * the dataset that makes a table of its name, which drops it first. Else, and when no table can be made there (the
     * user may not), a temporary table, dropped with the commit however it ends.
     */
    @Override
    Optional<String> apartTable(Statement statement, LoadPackage loadPackage, String table, String root, int number)
            throws SQLException {
        String name = ROWS_APART + number;
        List<TableFile> files = loadPackage.files().stream().filter(file -> file.table().equals(table)).toList();
        if (files.size() > 1 && worthCopyingAtOnce(files)) {
            Optional<String> staged = stagedTable(statement, loadPackage, root, name);
            if (staged.isPresent()) {
                return staged;
            }
        }
        connections().execute(statement, "CREATE TEMPORARY TABLE " + quote(name) + " (" + String.join(", ",
                columnDefinitions(statement.getConnection(), root, loadPackage.loadId())) + ") ON COMMIT DROP");
        return Optional.of(quote(name));
    }

    /**
     * Makes a table with {@code like}'s columns, as this transaction sees them, in the dataset's staging schema, named
     * {@code name}, on a connection of its own, so that other connections see it (a table of that name left by a commit
     * that died is dropped first); empty when it cannot be made there (the user may not).
     */
    private Optional<String> stagedTable(Statement statement, LoadPackage loadPackage, String like, String name) throws SQLException {
        List<String> columns = columnDefinitions(statement.getConnection(), like, loadPackage.loadId());
        String schema = stagingSchema(loadPackage.dataset());
        String staged = quote(schema) + "." + quote(name);
        try (Connection connection = sideConnections.open(); Statement side = connection.createStatement()) {
            tables().createSchema(side, SqlConnections.currentCatalog(connection), schema);
            side.execute("DROP TABLE IF EXISTS " + staged);
            side.execute("CREATE UNLOGGED TABLE " + staged + " (" + String.join(", ", columns) + ")");
            return Optional.of(staged);
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /**
     * The definitions of {@code table}'s columns as this transaction sees them (a table it made or widened is not yet
     * what other connections see): name, type and collation, the load id's default being {@code loadId}.
     */
    private List<String> columnDefinitions(Connection connection, String table, String loadId) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT quote_ident(a.attname), format_type(a.atttypid, a.atttypmod),"
                + " CASE WHEN a.attcollation <> t.typcollation THEN ' COLLATE ' || quote_ident(n.nspname) || '.' || quote_ident(c.collname)"
                + " ELSE '' END, a.attname = " + literal(LOAD_ID_COLUMN) + " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
                + " LEFT JOIN pg_collation c ON c.oid = a.attcollation LEFT JOIN pg_namespace n ON n.oid = c.collnamespace"
                + " WHERE a.attrelid = CAST(? AS regclass) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            query.setString(1, table);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    columns.add(result.getString(1) + " " + result.getString(2) + result.getString(3)
                            + (result.getBoolean(4) ? " DEFAULT " + literal(loadId) : ""));
                }
            }
        }
        return columns;
    }

    /** The schema beside the dataset where a commit keeps what other connections copy for it, as dlt names it. */
    private static String stagingSchema(String dataset) {
        return dataset + "_staging";
    }

    /**
     * Copies the files of jobs that go straight into their table, when they hold {@code parallelCopyFrom} bytes together,
     * on as many connections at once as there are cores (2 to {@link #MOST_COPIES_AT_ONCE}), the commit's own among them;
     * each other connection copies its share and commits. The files go to the connections largest first, each to the one
     * with the fewest bytes so far.
     * <ul>
     * <li>Into a merge's rows apart in the staging schema, every connection copies into that table, and the merge then
     *     reads every row.</li>
     * <li>Into any other table, the commit copies its share into it, and the other connections theirs into a table aside
     *     in the staging schema, which the commit then inserts from and drops: at a million rows, an insert from a table
     *     took 0.85 s where the copy of the same rows took 2.0 s, so the copies' parsing is what runs at once. When no
     *     table can be made there, one after the other.</li>
     * </ul>
     * Other jobs move one after the other, as every SQL destination moves them.
     */
    @Override
    void insertJobs(Statement statement, LoadPackage loadPackage, List<Integer> indices, String into, Map<String, DataType> target,
                    JobProgress progress) throws SQLException {
        // PostgreSQL's catalog is asked once per file; the answer decides how the file moves, whichever way below.
        SequencedSet<Integer> straight = new LinkedHashSet<>();
        for (int index : indices) {
            if (straightCopy(statement, loadPackage, index, into)) {
                straight.add(index);
            }
        }
        int copiesAtOnce = Math.min(straight.size(), Math.clamp(Runtime.getRuntime().availableProcessors(), 2, MOST_COPIES_AT_ONCE));
        Optional<String> others = Optional.empty();
        if (copiesAtOnce > 1 && worthCopyingAtOnce(straight.stream().map(index -> loadPackage.files().get(index)).toList())) {
            others = into.startsWith(quote(stagingSchema(loadPackage.dataset())) + ".") ? Optional.of(into)
                    : stagedTable(statement, loadPackage, into, ROWS_APART + "aside_" + straight.getFirst());
        }
        if (others.isEmpty()) {
            eachJob(indices, progress, index -> insertJob(statement, loadPackage, index, into, target, straight.contains(index)));
            return;
        }
        straight.forEach(progress::started);
        connections().execute(statement, "SELECT set_config(" + literal(LOAD_ID_SETTING) + ", " + literal(loadPackage.loadId()) + ", true)");
        copyAtOnce(statement.getConnection(), loadPackage, into, others.get(), shares(loadPackage, straight, copiesAtOnce));
        if (!others.get().equals(into)) {
            connections().execute(statement, "INSERT INTO " + into + " SELECT * FROM " + others.get());
            connections().execute(statement, "DROP TABLE " + others.get());
        }
        straight.forEach(progress::completed);
        eachJob(indices.stream().filter(index -> !straight.contains(index)).toList(), progress,
                index -> insertJob(statement, loadPackage, index, into, target, false));
    }

    /** Whether the files hold enough together that copying them at once saves more than opening connections costs. */
    private boolean worthCopyingAtOnce(List<TableFile> files) {
        return files.stream().mapToLong(SqlDestination::stagedBytes).sum() >= parallelCopyFrom;
    }

    /**
     * Whether job {@code index}'s file can be copied as it is into {@code into}: no field goes to no column, and the table
     * is ready ({@link #readyForStraightCopy}).
     */
    private boolean straightCopy(Statement statement, LoadPackage loadPackage, int index, String into) throws SQLException {
        TableFile tableFile = loadPackage.files().get(index);
        return !fields(tableFile).contains("")
                && readyForStraightCopy(statement.getConnection(), statement, into, packageColumns(loadPackage, tableFile), loadPackage.loadId());
    }

    /**
     * The jobs split into {@code count} shares of about as many bytes each, the largest files placed first. Each file is
     * weighed once, not at every comparison of the sort.
     */
    private static List<List<Integer>> shares(LoadPackage loadPackage, Collection<Integer> jobs, int count) {
        Map<Integer, Long> sizes = new HashMap<>();
        jobs.forEach(index -> sizes.put(index, stagedBytes(loadPackage.files().get(index))));
        List<List<Integer>> shares = new ArrayList<>();
        long[] bytes = new long[count];
        for (int share = 0; share < count; share++) {
            shares.add(new ArrayList<>());
        }
        List<Integer> largestFirst = new ArrayList<>(jobs);
        largestFirst.sort(Comparator.comparingLong((Integer index) -> sizes.get(index)).reversed());
        for (int index : largestFirst) {
            int least = 0;
            for (int share = 1; share < count; share++) {
                least = bytes[share] < bytes[least] ? share : least;
            }
            shares.get(least).add(index);
            bytes[least] += sizes.get(index);
        }
        return shares;
    }

    /**
     * Copies the first share into {@code into} on the commit's connection, and each other into {@code others} on a new
     * connection of its own, on a thread of its own, which commits it; waits for all of them, and throws the first
     * failure. A cancel stops each copy between chunks.
     */
    private void copyAtOnce(Connection commit, LoadPackage loadPackage, String into, String others, List<List<Integer>> shares)
            throws SQLException {
        List<Future<Void>> beside = new ArrayList<>();
        SQLException failure = null;
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().name("sluice-copy-", 1).factory())) {
            for (List<Integer> share : shares.subList(1, shares.size())) {
                beside.add(threads.submit(() -> {
                    try (Connection connection = sideConnections.open()) {
                        connection.setAutoCommit(false);
                        copyShare(connection, loadPackage, others, share);
                        connection.commit();
                    }
                    return null;
                }));
            }
            try {
                copyShare(commit, loadPackage, into, shares.getFirst());
            } catch (SQLException e) {
                failure = e;
            }
            for (Future<Void> other : beside) {
                try {
                    other.get();
                } catch (ExecutionException e) {
                    failure = failure != null ? failure : e.getCause() instanceof SQLException sql ? sql
                            : new SQLException("a copy beside the commit failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = failure != null ? failure : new SQLException("interrupted while copies beside the commit ran", e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void copyShare(Connection connection, LoadPackage loadPackage, String into, List<Integer> share) throws SQLException {
        for (int index : share) {
            TableFile tableFile = loadPackage.files().get(index);
            copy(connection, into, fields(tableFile), tableFile);
        }
    }

    /**
     * Whether the table has each of {@code columns} with its type as PostgreSQL spells it, and the load id column;
     * if so, makes sure that column takes the load id by default: from this transaction's setting (set once, for a
     * table made before), unless its default is load {@code loadId}'s id itself (a merge's table apart).
     */
    private boolean readyForStraightCopy(Connection connection, Statement statement, String table, List<Column> columns, String loadId)
            throws SQLException {
        Map<String, String> types = new HashMap<>();
        Optional<String> loadIdDefault = Optional.empty();
        try (PreparedStatement query = connection.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
                + " coalesce(pg_get_expr(d.adbin, d.adrelid), '') FROM pg_attribute a LEFT JOIN pg_attrdef d"
                + " ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = CAST(? AS regclass) AND a.attnum > 0"
                + " AND NOT a.attisdropped")) {
            query.setString(1, table);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    types.put(result.getString(1), result.getString(2));
                    if (result.getString(1).equals(LOAD_ID_COLUMN)) {
                        loadIdDefault = Optional.of(result.getString(3));
                    }
                }
            }
        }
        if (loadIdDefault.isEmpty() || !columns.stream().allMatch(column -> column.type() != DataType.BINARY
                && PostgresTypes.catalogType(column).equals(types.get(column.name())))) {
            return false;
        }
        if (!loadIdDefault.get().contains(LOAD_ID_SETTING) && !loadIdDefault.get().contains(literal(loadId))) {
            connections().execute(statement, "ALTER TABLE " + table + " ALTER COLUMN " + quote(LOAD_ID_COLUMN) + " SET DEFAULT "
                    + LOAD_ID_DEFAULT);
        }
        return true;
    }

    /**
     * The columns the fields of the job's file go to, in order; "" for a field of a copy of a source's CSV file that goes
     * to none (empty in every row). A copy has the row id in front, then each field's column, so it is read as any staged
     * file (the file's other columns are null). The source copied only files whose every field PostgreSQL reads as the
     * normal path's staged text of it: an unquoted empty field is null in both, and no field is a quoted empty one.
     */
    private static List<String> fields(TableFile tableFile) {
        if (tableFile.layout().isEmpty()) {
            return tableFile.columns().stream().map(Column::name).toList();
        }
        List<String> fields = new ArrayList<>(List.of(SystemColumns.ID));
        fields.addAll(tableFile.layout().get().columns());
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

    /**
     * Streams the job's file as it is into {@code fields} of {@code table}: the StagedCsv dialect, and the copies' (a
     * quote in a field doubled), are PostgreSQL's CSV with NULL as an empty unquoted field; a copy is read in its own
     * dialect.
     */
    private void copy(Connection connection, String table, List<String> fields, TableFile tableFile) throws SQLException {
        String format = tableFile.layout().map(layout -> "FORMAT csv, HEADER " + layout.header() + ", DELIMITER "
                + literal(String.valueOf(layout.delimiter())) + ", QUOTE " + literal(String.valueOf(layout.quote())) + ", NULL ''")
                .orElse("FORMAT csv, NULL ''");
        String columns = fields.isEmpty() ? "" : " (" + fields.stream().map(SqlDestination::quote).collect(Collectors.joining(", ")) + ")";
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + columns + " FROM STDIN WITH (" + format + ")");
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
