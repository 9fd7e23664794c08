package io.sluice.load;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * DuckDB destination files as this process uses them: each attached to the process's one DuckDB database
 * ({@link DuckDbInstance}) while connections to it are open, and for a while after (see {@link AttachedFile}); each
 * connection is the database's, switched to the file ({@code USE}), so a destination's unqualified SQL and
 * {@code current_database()} are the file's. A file takes one writer at a time: runs of this process that load into the
 * same file take turns.
 *
 * <p>Attaching a file to the database that exists costs 3–4 ms and detaching it 1–2 ms, where opening it as a database
 * of its own and closing it cost ~30 ms of CPU: most of a trivial run's, which capped a service at 6–9 such runs a
 * second on two cores (bench/RESULTS-orchestration.md).
 */
final class DuckDbFiles {
    private static final Logger LOG = Logger.getLogger(DuckDbFiles.class);
    private static final DuckDbInstance DATABASE = new DuckDbInstance();
    private static final ConcurrentMap<Path, ReentrantLock> WRITERS = new ConcurrentHashMap<>();
    /** Per file: the lock that attaching and detaching take, with the file's alias and use; guarded by the lock. */
    private static final ConcurrentMap<Path, AttachedFile> FILES = new ConcurrentHashMap<>();
    private static final AtomicLong ALIASES = new AtomicLong();
    /** How long an attach waits for another database of this process to let the file go. */
    private static final Duration ATTACH_WAIT = Duration.ofSeconds(30);
    private static final long MAX_ATTACH_PAUSE = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * Taken to read by every connect, to write by {@link #closeAllKept}: the database is closed only while no file is
     * being attached to it, so every attached file is the open database's.
     */
    private static final ReentrantReadWriteLock ATTACHING = new ReentrantReadWriteLock();
    private static final ScheduledExecutorService CLOSER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("duckdb-idle-close").daemon().factory());

    private DuckDbFiles() {
    }

    /**
     * One file as this process uses it: its alias in the database, whether it is attached, how many connections to it
     * are open, and how long it stays attached after the last one closed ({@code keepOpen}), so back-to-back runs do not
     * each pay for attaching it, the first look at its catalog and the checkpoint of detaching it. Detaching checkpoints
     * the file and lets other processes open it; commits are as durable before that (DuckDB writes its log at commit),
     * and a process that dies leaves the log, which the next attach or open replays — so crash recovery and
     * exactly-once commits are the same.
     */
    private static final class AttachedFile {
        final ReentrantLock lock = new ReentrantLock();
        final String alias;
        boolean attached;
        int open;
        long lastUse;
        Duration keepOpen = Duration.ZERO;

        AttachedFile(Path file) {
            this.alias = alias(file);
        }
    }

    /**
     * A connection to the file, attaching it first unless it is; its close detaches the file when it was the last one and
     * {@code keepOpen} is zero.
     *
     * @param keepOpen how long the file stays attached after the last connection closed; zero detaches it with that one
     * @param settings DuckDB's memory and threads while it loads: the database's, so they hold for every file
     * @param temporaryDirectory where DuckDB spills, if this connection makes the database
     */
    static Connection connect(Path file, Duration keepOpen, DuckDbSettings settings, Path temporaryDirectory) throws SQLException {
        AttachedFile database = FILES.computeIfAbsent(file, AttachedFile::new);
        Connection connection;
        ATTACHING.readLock().lock();
        try {
            connection = DATABASE.connect(settings, temporaryDirectory);
            database.lock.lock();
            try {
                use(connection, file, database);
                database.open++;
                database.keepOpen = keepOpen;
            } catch (SQLException e) {
                connection.close();
                if (database.open == 0) {
                    detach(file, database);
                }
                throw e;
            } finally {
                database.lock.unlock();
            }
        } finally {
            ATTACHING.readLock().unlock();
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

    /**
     * Attaches the file unless it is (as opening it would, attaching replays a log a dead process left), then makes it the
     * connection's database. {@code IF NOT EXISTS}: a file whose detach failed is still attached under its alias.
     */
    private static void use(Connection connection, Path file, AttachedFile database) throws SQLException {
        if (!database.attached) {
            attach(connection, file, database.alias);
            database.attached = true;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("USE " + SqlDestination.quote(database.alias));
        }
    }

    /**
     * Attaches the file, waiting while another database of this process still has it. DuckDB lets a detached file go only
     * once every transaction that looked at the catalogs of all attached files ({@code duckdb_tables()} does) has ended:
     * a run's commit into another file, say, for as long as it lasts. Another opener of this process (a DuckDB source
     * reading the file) lets go when it is done too. Past {@link #ATTACH_WAIT} the conflict is the caller's, as transient.
     */
    private static void attach(Connection connection, Path file, String alias) throws SQLException {
        long deadline = System.nanoTime() + ATTACH_WAIT.toNanos();
        long pause = TimeUnit.MILLISECONDS.toNanos(1);
        while (true) {
            // A statement of its own each time: the driver closes one whose statement failed.
            try (Statement statement = connection.createStatement()) {
                statement.execute("ATTACH IF NOT EXISTS " + SqlDestination.literal(file.toString()) + " AS " + SqlDestination.quote(alias));
                return;
            } catch (SQLException e) {
                if (!heldByAnotherDatabase(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(pause);
                pause = Math.min(pause * 2, MAX_ATTACH_PAUSE);
            }
        }
    }

    /** Raises the memory limit of the database the files are attached to, for as long as the grant is open. */
    static DuckDbInstance.MemoryGrant memoryAtLeast(long bytes) throws SQLException {
        return DATABASE.memoryAtLeast(bytes);
    }

    /**
     * Whether the failure is DuckDB refusing a file that another database of this process still has: one detached a moment
     * ago (see {@link #attach}), or another opener's (a DuckDB source reading it). Each lets go when it is done.
     */
    static boolean heldByAnotherDatabase(SQLException failure) {
        return failure.getMessage() != null && failure.getMessage().contains("Unique file handle conflict");
    }

    /** A connection to the file closed (under its lock): once none is open, the file is detached after its keep-open. */
    private static void closed(Path file, AttachedFile database) {
        database.open--;
        database.lastUse = System.nanoTime();
        if (database.open == 0) {
            if (database.keepOpen.isPositive()) {
                CLOSER.schedule(() -> detachIdle(file, database), database.keepOpen.toNanos(), TimeUnit.NANOSECONDS);
            } else {
                detach(file, database);
            }
        }
    }

    /** Detaches the file when it has not been used for its keep-open; a file used since waits for its next check. */
    private static void detachIdle(Path file, AttachedFile database) {
        detachUnused(file, database, () -> System.nanoTime() - database.lastUse >= database.keepOpen.toNanos());
    }

    /** Detaches the file (taking its lock) when no connection to it is open and {@code due} says it is time. */
    private static void detachUnused(Path file, AttachedFile database, BooleanSupplier due) {
        database.lock.lock();
        try {
            if (database.open == 0 && due.getAsBoolean()) {
                detach(file, database);
            }
        } finally {
            database.lock.unlock();
        }
    }

    /**
     * Detaches every idle file now, whatever its keep-open, and closes the database unless a file is in use: the service
     * stops, or a one-shot command ends. A file still in use is detached as its last connection closes.
     */
    static void closeAllKept() {
        ATTACHING.writeLock().lock();
        try {
            boolean inUse = false;
            for (var entry : FILES.entrySet()) {
                AttachedFile database = entry.getValue();
                database.lock.lock();
                try {
                    if (database.open == 0) {
                        detach(entry.getKey(), database);
                    } else {
                        database.keepOpen = Duration.ZERO;
                        inUse = true;
                    }
                } finally {
                    database.lock.unlock();
                }
            }
            if (!inUse) {
                DATABASE.close();
            }
        } finally {
            ATTACHING.writeLock().unlock();
        }
    }

    /** Detaches the file now, whatever its keep-open, unless a connection to it is open. */
    static void detachIfIdle(Path file) {
        AttachedFile database = FILES.get(file);
        if (database != null) {
            detachUnused(file, database, () -> true);
        }
    }

    /** Detaches the file (under its lock) unless it is not attached: DuckDB checkpoints it and lets its lock go. */
    private static void detach(Path file, AttachedFile database) {
        if (!database.attached) {
            return;
        }
        try (Connection connection = DATABASE.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DETACH " + SqlDestination.quote(database.alias));
        } catch (SQLException e) {
            LOG.warnf(e, "cannot detach DuckDB database %s", file);
        } finally {
            database.attached = false;
        }
    }

    /**
     * A name for the file in the database: its own name, in the characters a name needs no quotes for, and a number
     * that no other file of this process has (two files may share a name; DuckDB's names ignore case).
     */
    private static String alias(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return name + "_" + ALIASES.incrementAndGet();
    }

    static ReentrantLock writerLock(Path file) {
        return WRITERS.computeIfAbsent(file, ignored -> new ReentrantLock(true));
    }
}
