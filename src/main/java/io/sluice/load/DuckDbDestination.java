package io.sluice.load;

import io.sluice.pipeline.DuckDbDestinationSpec;
import io.sluice.schema.Column;
import io.sluice.schema.CsvLayout;
import io.sluice.schema.DataType;
import io.sluice.schema.StagedCsv;
import io.sluice.schema.SystemColumns;
import io.sluice.schema.TableFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Loads into a DuckDB file through its bulk CSV reader: each staged file becomes a staging table by one
 * {@code CREATE TABLE … AS SELECT FROM read_csv(…)} with the column types our engine inferred (DuckDB's own
 * inference is never used).
 *
 * <p>Not pooled, unlike PostgreSQL: each load and each read attaches the file to the process's DuckDB database and
 * detaches it when done (see {@link DuckDbFiles}). A DuckDB file has one writing process at a time, and that process
 * holds the file's lock for as long as it is attached; a pooled connection kept by {@code sluice serve} would lock a
 * one-shot {@code sluice run} (or any other tool) out of the same file for good. The file may stay attached for a short
 * {@code keepOpen} after the last use: attaching it, the first look at its catalog and the checkpoint of detaching it
 * cost milliseconds each, much of a small run's time, and back-to-back runs pay them once. When another process holds
 * the lock, the failure is transient: it ends when that process lets go, so a retry policy waits it out.
 */
final class DuckDbDestination extends SqlDestination {
    /**
     * A file whose lines are all this short is read in buffers of 1 MiB, which DuckDB requires to be larger than its
     * longest line: left to itself, its reader takes a buffer as large as the file up to 32 MiB, more than the memory
     * limit holds, and 4 MiB buffers left a 16MB limit too little room for the rows they fill (bench/RESULTS-perf.md).
     * Any other file (or one whose line lengths are not known) is read as it was before lines were measured: lines up to
     * 256 MiB, the reader's own buffer, and more memory ({@link #readerMemory}).
     */
    private static final long SHORT_LINE = 512 << 10;
    private static final String SHORT_LINES = "max_line_size = 1048576, buffer_size = 1048576";
    private static final String LONG_LINES = "max_line_size = 268435456";
    private static final long LONG_LINES_MEMORY = 128L << 20;

    /**
     * How often a commit that ran out of DuckDB's memory is tried again, each time under twice the most memory the try
     * before could use: up to 16 times the most the first try could ({@link #mostMemoryOfTheFirstTry}).
     */
    private static final int MEMORY_RETRIES = 4;
    private static final Set<String> ROW_IDS = Set.of(SystemColumns.ID, SystemColumns.PARENT_ID, SystemColumns.ROOT_ID);
    private static final Pattern STORAGE_VERSION = Pattern.compile("v(\\d{1,4})\\.(\\d{1,4})");
    private static final Logger LOG = Logger.getLogger(DuckDbDestination.class);

    private final Path file;
    private final Duration keepOpen;
    private final DuckDbSettings settings;
    private final Path temporaryDirectory;

    /** @param temporaryDirectory where DuckDB spills what a load cannot hold in memory */
    DuckDbDestination(Path file, Duration keepOpen, DuckDbSettings settings, Path temporaryDirectory) {
        super(DuckDbDestinationSpec.CAPABILITIES);
        this.file = file;
        this.keepOpen = keepOpen;
        this.settings = settings;
        this.temporaryDirectory = temporaryDirectory;
    }

    @Override
    void exclusive(Runnable work) {
        ReentrantLock writer = DuckDbFiles.writerLock(file);
        try {
            writer.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException("cancelled while waiting for " + file, false, e);
        }
        try {
            work.run();
        } finally {
            writer.unlock();
        }
    }

    @Override
    String location() {
        return file.toString();
    }

    @Override
    Connection open() {
        try {
            Files.createDirectories(file.getParent());
            return DuckDbFiles.connect(file, keepOpen, settings, temporaryDirectory);
        } catch (SQLException e) {
            throw new LoadException("cannot open DuckDB database " + file + ": " + e.getMessage(), transientFailure(e), e);
        } catch (IOException e) {
            throw new LoadException("cannot open DuckDB database " + file + ": " + e.getMessage(), false, e);
        }
    }

    @Override
    boolean exists() {
        return Files.exists(file);
    }

    /**
     * DuckDB's {@code information_schema.columns} (and {@code duckdb_columns()}) list every column of every attached
     * database before filtering: 20 ms and more per call, several calls per load, most of a small run's load time.
     * {@code pragma_table_info} reads the one table, but fails on a missing one (which would abort the commit's
     * transaction), so the cheap {@code duckdb_tables()} asks first.
     */
    @Override
    Map<String, DataType> columns(Connection connection, String catalog, String dataset, String table) throws SQLException {
        return tableExists(connection, catalog, dataset, table)
                ? columns(connection, "SELECT name, type FROM pragma_table_info(?)", qualified(catalog, dataset, table))
                : Map.of();
    }

    @Override
    boolean tableExists(Connection connection, String catalog, String dataset, String table) throws SQLException {
        return answers(connection, "SELECT 1 FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? AND table_name = ?",
                catalog, dataset, table);
    }

    /**
     * The first {@code duckdb_tables()} of a file attached anew costs 20–70 ms (it makes the system catalog's views
     * first), paid on every read that attaches the file. So the table is read at once, and a read that fails
     * because it is missing answers {@code absent}: outside a transaction the failure costs nothing else. The
     * cheap {@code duckdb_schemas()} asks first whether the dataset exists at all, because a missing table costs a
     * slow error (DuckDB looks for similar names) — a dataset has its bookkeeping tables from its first load on.
     */
    @Override
    <T> T readTable(Connection connection, String catalog, String dataset, String table, SqlConnections.Read<T> read, T absent)
            throws SQLException {
        if (!schemaExists(connection, catalog, dataset)) {
            return absent;
        }
        try {
            return read.apply(connection);
        } catch (SQLException e) {
            String message = e.getMessage();
            if (message != null && message.startsWith("Catalog Error: Table with name") && message.contains("does not exist")) {
                return absent;
            }
            throw e;
        }
    }

    @Override
    boolean schemaExists(Connection connection, String catalog, String schema) throws SQLException {
        return answers(connection, "SELECT 1 FROM duckdb_schemas() WHERE database_name = ? AND schema_name = ?", catalog, schema);
    }

    /** A schema named like the database file would make a two-part name ambiguous: always name the database too. */
    @Override
    String schemaName(String catalog, String schema) {
        return quote(catalog) + "." + quote(schema);
    }

    @Override
    String sqlType(Column column) {
        return DuckDbTypes.sqlType(column);
    }

    /**
     * Row ids (a row's own, its parent's and its root's) are compressed with ZSTD. Their 22 characters are random, and
     * a row's own id is no other row's, so DuckDB's own choice for text (a dictionary, then FSST) finds little to share,
     * and trying took up to a fifth of a load's time. A row's own id: P6's million CSV rows loaded in 2.26 s against
     * 2.48, P4's merge in 1.80 against 2.22, the files the same size; its parent's and root's too: P1's nested records
     * in 4.05 against 5.06 s, the file 5% larger, a join of three of its tables by their ids as fast
     * (bench/RESULTS-perf.md). A file of a storage version before 1.2 cannot hold ZSTD, and keeps DuckDB's choice.
     */
    @Override
    Function<Column, String> storage(Connection connection) throws SQLException {
        String rowIds = holdsZstd(connection) ? " USING COMPRESSION zstd" : "";
        return column -> ROW_IDS.contains(column.name()) ? rowIds : "";
    }

    /** Whether the connection's database is a file whose storage version (e.g. {@code v2.0.0+}) is 1.2 or later. */
    private static boolean holdsZstd(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet version = statement.executeQuery(
                     "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()")) {
            String stored = version.next() ? version.getString(1) : null;
            Matcher parts = STORAGE_VERSION.matcher(stored == null ? "" : stored);
            if (!parts.lookingAt()) {
                return false; // an in-memory database has none, and stores nothing compressed
            }
            int major = Integer.parseInt(parts.group(1));
            return major > 1 || major == 1 && Integer.parseInt(parts.group(2)) >= 2;
        }
    }

    @Override
    DataType fromSql(String sqlType) {
        return DuckDbTypes.fromSql(sqlType);
    }

    /** DuckDB's TRUNCATE is a DELETE by another name. */
    @Override
    String truncate(String table) {
        return "DELETE FROM " + table;
    }

    @Override
    String epochMicros(String column) {
        return "epoch_us(" + column + ")";
    }

    /** Nothing to prepare: the file's writer lock already keeps other loads out. */
    @Override
    void beforeTables(Statement statement, String catalog, String dataset) {
    }

    /** The package's staged file is already where the commit reads it: there is nothing to copy first. */
    @Override
    public boolean jobLoaded(LoadPackage loadPackage, LoadPackages.LoadJob job) {
        return Files.isReadable(job.file().file());
    }

    @Override
    public void loadJob(LoadPackage loadPackage, LoadPackages.LoadJob job) {
        if (!Files.isReadable(job.file().file())) {
            throw new LoadException("staged file " + job.file().file() + " cannot be read", false, null);
        }
    }

    /**
     * Commits under the settings' memory limit, which is kept low because DuckDB's memory counts in the process's: most
     * loads fit in it. One that does not fails with DuckDB out of memory and leaves nothing (its transaction rolls back),
     * so it is committed again with twice the most memory its try could use, up to {@link #MEMORY_RETRIES} times, and
     * only it holds more.
     */
    @Override
    public void commit(LoadPackage loadPackage, LoadListener listener) {
        RetriedCommitProgress progress = new RetriedCommitProgress(listener);
        long memory = 0;
        for (int retry = 0; ; retry++) {
            try (DuckDbInstance.MemoryGrant grant = memoryAtLeast(memory, loadPackage)) {
                super.commit(loadPackage, progress);
                return;
            } catch (LoadException e) {
                if (retry == MEMORY_RETRIES || !outOfMemory(e)) {
                    throw e;
                }
                memory = (memory == 0 ? mostMemoryOfTheFirstTry(loadPackage) : memory) * 2;
                LOG.warnf("load %s ran out of DuckDB's memory; committing it again with %dMB", loadPackage.loadId(), memory / 1_000_000);
                progress.nextTry();
            }
        }
    }

    /**
     * The settings' limit, or more while a file of long lines is read ({@link #readerMemory}): a retry that doubled only
     * the settings' limit would give the step that ran out no more than it had.
     */
    private long mostMemoryOfTheFirstTry(LoadPackage loadPackage) {
        return loadPackage.files().stream().mapToLong(DuckDbDestination::readerMemory).reduce(settings.memoryLimitBytes(), Math::max);
    }

    private static DuckDbInstance.MemoryGrant memoryAtLeast(long bytes, LoadPackage loadPackage) {
        try {
            return DuckDbFiles.memoryAtLeast(bytes);
        } catch (SQLException e) {
            throw new LoadException("cannot raise DuckDB's memory limit for load " + loadPackage.loadId() + ": " + e.getMessage(), false, e);
        }
    }

    /** Whether DuckDB refused the work for want of memory: more of it may let the same work through. */
    private static boolean outOfMemory(Exception failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException && String.valueOf(cause.getMessage()).startsWith("Out of Memory Error")) {
                return true;
            }
        }
        return false;
    }

    /** One file after the other, on the commit's connection. */
    @Override
    void insertJobs(Statement statement, LoadPackage loadPackage, List<Integer> indices, String into, Map<String, DataType> target,
                    JobProgress progress) throws SQLException {
        eachJob(indices, progress, index -> insertJob(statement, loadPackage, index, into, target));
    }

    /** While it reads a file of long lines, DuckDB may use what such a file needs ({@link #readerMemory}). */
    private void insertJob(Statement statement, LoadPackage loadPackage, int index, String into, Map<String, DataType> target)
            throws SQLException {
        try (DuckDbInstance.MemoryGrant grant = DuckDbFiles.memoryAtLeast(readerMemory(loadPackage.files().get(index)))) {
            insertFrom(statement, loadPackage, index, into, target, stagedRows(loadPackage, index, target));
        }
    }

    /**
     * Whether a file's lines are short enough for DuckDB's reader to read it in small buffers ({@link #SHORT_LINES}):
     * a file without rows, or whose longest line is known and at most {@link #SHORT_LINE}.
     */
    private static boolean shortLines(TableFile file) {
        return file.rows() == 0 || (file.longestLine() > 0 && file.longestLine() <= SHORT_LINE);
    }

    /**
     * The memory DuckDB may use while it reads a file (its settings' limit when that is more): none above the settings
     * for short lines; else the 128 MiB that files of any line length had before lines were measured, and 5 times the
     * longest line beyond that (a 12 MB row needed more than 32 MB, a 25 MB row more than 64 MB, bench/RESULTS-perf.md).
     */
    private static long readerMemory(TableFile file) {
        return shortLines(file) ? 0 : Math.max(LONG_LINES_MEMORY, 5 * file.longestLine());
    }

    /** In the table: a second write of every row costs DuckDB more than its scans filtered by load id do. */
    @Override
    Optional<String> apartTable(Statement statement, LoadPackage loadPackage, String table, String root, int number) {
        return Optional.empty();
    }

    /** The staged file itself, read by DuckDB's CSV reader with our column types (its own inference is never used). */
    private String stagedRows(LoadPackage loadPackage, int index, Map<String, DataType> types) {
        TableFile tableFile = loadPackage.files().get(index);
        if (tableFile.layout().isPresent()) {
            return copiedRows(tableFile, tableFile.layout().get(), types);
        }
        String columns = tableFile.columns().stream()
                .map(column -> literal(column.name()) + ": " + literal(sqlType(column, types)))
                .collect(Collectors.joining(", "));
        return csv(tableFile, StagedCsv.DELIMITER, StagedCsv.QUOTE, false, "", columns);
    }

    /**
     * A copy of a source's CSV file, read strictly with the types the columns it fills have: its fields are named by
     * position ({@code f0} is the row id), then each is given its column's name, and the file's other columns are null.
     * The source judged every field by our rules when it made the copy, so DuckDB reads no value our engine would not.
     */
    private static String copiedRows(TableFile tableFile, CsvLayout layout, Map<String, DataType> types) {
        Map<String, Column> byName = tableFile.columns().stream().collect(Collectors.toMap(Column::name, column -> column));
        List<String> fields = new ArrayList<>(List.of("'f0': 'VARCHAR'"));
        Map<String, String> selected = new LinkedHashMap<>();
        selected.put(SystemColumns.ID, "f0");
        for (int field = 0; field < layout.columns().size(); field++) {
            String column = layout.columns().get(field);
            String name = "f" + (field + 1);
            fields.add(literal(name) + ": " + literal(column.isEmpty() ? "VARCHAR" : sqlType(byName.get(column), types)));
            if (!column.isEmpty()) {
                selected.put(column, name);
            }
        }
        String values = tableFile.columns().stream()
                .map(column -> selected.getOrDefault(column.name(), "CAST(NULL AS " + sqlType(column, types) + ")") + " AS "
                        + quote(column.name()))
                .collect(Collectors.joining(", "));
        return "(SELECT " + values + " FROM " + csv(tableFile, layout.delimiter(), layout.quote(), layout.header(),
                ", strict_mode = true", String.join(", ", fields)) + ")";
    }

    private static String sqlType(Column column, Map<String, DataType> types) {
        return DuckDbTypes.sqlType(column.withType(types.get(column.name())));
    }

    private static String csv(TableFile tableFile, char delimiter, char quote, boolean header, String options, String columns) {
        return "read_csv(" + literal(tableFile.file().toString())
                + ", header = " + header + ", auto_detect = false, delim = " + literal(String.valueOf(delimiter))
                + ", quote = " + literal(String.valueOf(quote))
                + ", escape = " + literal(String.valueOf(quote))
                + options + ", allow_quoted_nulls = false, " + (shortLines(tableFile) ? SHORT_LINES : LONG_LINES)
                + ", columns = {" + columns + "})";
    }

    /**
     * An embedded file has no network between us and it, so a failure repeats, except when another opener holds the
     * file: another process (its lock) or, in this process, a database of its own (a DuckDB source reading it, say) —
     * each lets go when it is done.
     */
    @Override
    boolean transientFailure(SQLException failure) {
        return failure.getMessage() != null && failure.getMessage().contains("Could not set lock on file")
                || DuckDbFiles.heldByAnotherDatabase(failure);
    }
}
