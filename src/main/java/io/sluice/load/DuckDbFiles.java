package io.sluice.load;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.duckdb.DuckDBDriver;
import org.jboss.logging.Logger;

/**
 * A DuckDB file takes one writer at a time: runs of this process that load into the same file take turns. Opening
 * and closing connections to a file take turns too: the driver shares one database per file among its connections,
 * made by the first and shut by the last, and a thread that makes it while another makes or shuts it fails
 * ("Unique file handle conflict").
 *
 * <p>A file's database may be kept open for a while after its last connection closed (see {@link KeptOpen}), by one
 * connection this class holds: back-to-back runs of a service then do not each pay for opening the file (tens of ms),
 * for the first look at its catalog, and for the checkpoint of closing it.
 */
final class DuckDbFiles {
    private static final Logger LOG = Logger.getLogger(DuckDbFiles.class);
    private static final ConcurrentMap<Path, ReentrantLock> WRITERS = new ConcurrentHashMap<>();
    /** Per file: the lock that opening and closing take, with the file's kept connection and its use; guarded by the lock. */
    private static final ConcurrentMap<Path, KeptOpen> FILES = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService CLOSER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("duckdb-idle-close").daemon().factory());

    private DuckDbFiles() {
    }

    /**
     * One file's database as this process uses it: how many connections are open, and the one kept open so that the
     * database outlives them by {@code keepOpen}. Closing the kept connection (the last one) checkpoints the file and
     * lets other processes open it; commits are as durable before that (DuckDB writes its log at commit), and a process
     * that dies leaves the log, which the next open replays — so crash recovery and exactly-once commits are the same.
     */
    private static final class KeptOpen {
        final ReentrantLock lock = new ReentrantLock();
        Connection kept;
        int open;
        long lastUse;
        Duration keepOpen = Duration.ZERO;
    }

    /**
     * A connection to the file's database, opened and (when closed) closed while no other is.
     *
     * @param keepOpen how long the database stays open after the last connection closed; zero closes it with that one
     * @param settings DuckDB's memory and threads while it loads
     */
    static Connection connect(Path file, Duration keepOpen, DuckDbSettings settings) throws SQLException {
        KeptOpen database = FILES.computeIfAbsent(file, ignored -> new KeptOpen());
        Connection connection;
        database.lock.lock();
        try {
            try {
                // The settings are the database's, so only the connection that makes it sets them: each SET is parsed and
                // run anew, a few ms of a trivial run's CPU on every open otherwise.
                boolean makesDatabase = database.kept == null && database.open == 0;
                if (database.kept == null && keepOpen.isPositive()) {
                    database.kept = open(file, settings, true);
                    makesDatabase = false;
                }
                connection = open(file, settings, makesDatabase);
            } catch (SQLException e) {
                if (database.open == 0) {
                    closeKept(file, database);
                }
                throw e;
            }
            database.open++;
            database.keepOpen = keepOpen;
        } finally {
            database.lock.unlock();
        }
        AtomicBoolean closed = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, arguments) -> {
                    // Counted once: a connection may be closed again, which does nothing.
                    boolean closing = method.getName().equals("close") && closed.compareAndSet(false, true);
                    if (closing) {
                        database.lock.lock();
                    }
                    try {
                        return method.invoke(connection, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (closing) {
                            closed(file, database);
                            database.lock.unlock();
                        }
                    }
                });
    }

    /** The driver directly, not DriverManager, which only sees drivers of the caller's class loader. */
    private static Connection open(Path file, DuckDbSettings settings, boolean applySettings) throws SQLException {
        Connection connection = new DuckDBDriver().connect("jdbc:duckdb:" + file, new Properties());
        if (!applySettings) {
            return connection;
        }
        try {
            settings.apply(connection);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** A connection to the file closed (under its lock): once none is open, the kept one closes after the file's keep-open. */
    private static void closed(Path file, KeptOpen database) {
        database.open--;
        database.lastUse = System.nanoTime();
        if (database.open == 0 && database.kept != null) {
            if (database.keepOpen.isPositive()) {
                CLOSER.schedule(() -> closeIdle(file, database), database.keepOpen.toNanos(), TimeUnit.NANOSECONDS);
            } else {
                closeKept(file, database);
            }
        }
    }

    /** Closes the kept connection when the file has not been used for its keep-open; a file used since waits for its next check. */
    private static void closeIdle(Path file, KeptOpen database) {
        database.lock.lock();
        try {
            if (database.open == 0 && System.nanoTime() - database.lastUse >= database.keepOpen.toNanos()) {
                closeKept(file, database);
            }
        } finally {
            database.lock.unlock();
        }
    }

    /** Closes every kept database now, whatever its keep-open: the service stops, or a one-shot command ends. */
    static void closeAllKept() {
        for (Path file : List.copyOf(FILES.keySet())) {
            KeptOpen database = FILES.get(file);
            database.lock.lock();
            try {
                closeKept(file, database);
            } finally {
                database.lock.unlock();
            }
        }
    }

    private static void closeKept(Path file, KeptOpen database) {
        if (database.kept == null) {
            return;
        }
        try {
            database.kept.close();
        } catch (SQLException e) {
            LOG.warnf(e, "cannot close DuckDB database %s", file);
        } finally {
            database.kept = null;
        }
    }

    static ReentrantLock writerLock(Path file) {
        return WRITERS.computeIfAbsent(file, ignored -> new ReentrantLock(true));
    }
}
