package io.sluice.load;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;
import org.jboss.logging.Logger;

/**
 * The in-memory DuckDB database that this process attaches its destination files to, made on first use and shared by
 * every connection to them: making a DuckDB database costs 22–28 ms of CPU (it registers every built-in function),
 * attaching a file to one that exists 3–4 ms (bench/RESULTS-orchestration.md).
 *
 * <p>DuckDB's memory limit and threads ({@link DuckDbSettings}) are the database's, so every file loading at once shares
 * them: one memory limit for all loads, not one per file. A load that needs more for a while raises it for as long as it
 * needs ({@link #memoryAtLeast}). Where it spills what does not fit is fixed as it is made
 * (DuckDB cannot switch it once used); an in-memory database would spill into the process's working directory.
 */
final class DuckDbInstance {
    private static final Logger LOG = Logger.getLogger(DuckDbInstance.class);

    /** Guarded by this: the database's own connection, which connections are duplicated from; null while there is none. */
    private DuckDBConnection database;
    private DuckDbSettings applied;
    /** Guarded by this: what each open grant of {@link #memoryAtLeast} asked for, in bytes, and the limit set now. */
    private final List<Long> granted = new ArrayList<>();
    private long limit;

    /**
     * A new connection to the database, with {@code settings} applied first when they differ from the database's (in a
     * service they never do: each SET is parsed and run anew, a few ms of a trivial run's CPU on every connection
     * otherwise).
     *
     * @param temporaryDirectory where the database spills, if this call makes it
     */
    synchronized Connection connect(DuckDbSettings settings, Path temporaryDirectory) throws SQLException {
        DuckDBConnection made = database(temporaryDirectory);
        if (!settings.equals(applied)) {
            settings.apply(made);
            applied = settings;
            limit = settings.memoryLimitBytes();
            setLimit();
        }
        return made.duplicate();
    }

    /**
     * Raises the database's memory limit to at least {@code bytes} until the grant is closed; no lower than the settings'
     * and no lower than what another open grant asked for, so loads at once never lower each other's limit.
     */
    synchronized MemoryGrant memoryAtLeast(long bytes) throws SQLException {
        granted.add(bytes);
        try {
            setLimit();
        } catch (SQLException e) {
            granted.remove(Long.valueOf(bytes));
            throw e;
        }
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                release(bytes);
            }
        };
    }

    /** An open raise of the memory limit; closing it (once or more) lets the limit fall back. */
    interface MemoryGrant extends AutoCloseable {
        @Override
        void close();
    }

    private synchronized void release(long bytes) {
        granted.remove(Long.valueOf(bytes));
        try {
            setLimit();
        } catch (SQLException e) {
            LOG.warnf(e, "cannot lower DuckDB's memory limit after a load that raised it");
        }
    }

    /** Sets the limit the settings and the open grants ask for, when it is not the one set. */
    private void setLimit() throws SQLException {
        if (database == null || applied == null) {
            return;
        }
        long wanted = Math.max(applied.memoryLimitBytes(), granted.isEmpty() ? 0 : Collections.max(granted));
        if (wanted != limit) {
            try (Statement statement = database.createStatement()) {
                statement.execute("SET memory_limit = '" + ((wanted + 1023) / 1024) + "KiB'");
            }
            limit = wanted;
        }
    }

    /** A new connection to the database as it is, which a file attached to it guarantees exists. */
    synchronized Connection connect() throws SQLException {
        if (database == null) {
            throw new IllegalStateException("no DuckDB database of destination files is open");
        }
        return database.duplicate();
    }

    /**
     * Closes the database's own connection; the database ends once connections duplicated from it have closed too, and
     * the next connection makes a new one. Files still attached by then are checkpointed and closed with it.
     */
    synchronized void close() {
        if (database == null) {
            return;
        }
        try {
            database.close();
        } catch (SQLException e) {
            LOG.warnf(e, "cannot close the DuckDB database of destination files");
        } finally {
            database = null;
            applied = null;
            limit = 0;
        }
    }

    /** The driver directly, not DriverManager, which only sees drivers of the caller's class loader. */
    private DuckDBConnection database(Path temporaryDirectory) throws SQLException {
        if (database != null) {
            return database;
        }
        DuckDBConnection made = (DuckDBConnection) new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
        try (Statement statement = made.createStatement()) {
            statement.execute("SET temp_directory = " + SqlDestination.literal(temporaryDirectory.toString()));
        } catch (SQLException e) {
            made.close();
            throw e;
        }
        database = made;
        return made;
    }
}
