package io.sluice.source.sql;

import io.sluice.source.SourceException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A source's work with the database, on a platform thread of its own while the calling thread waits for it.
 *
 * <p>Not on a virtual thread: the first socket read that parks one starts the JDK's poller thread, which then waits in
 * native code for the life of the process, and the JVM's exit waits up to 300 ms for threads in native code (a one-shot
 * run from PostgreSQL ended 0.3 s after its summary). A platform thread's socket read does not end on interrupt, so a
 * cut (the calling thread interrupted) reaches the work through the database instead: the statement in flight is
 * cancelled, which stops it in the database too; should the work still not end, its connection is aborted, which
 * closes the socket under the read.
 *
 * <p>The work registers what a cut must reach ({@link #connect}, {@link #inFlight}); the call closes both when the work
 * ends.
 */
final class DatabaseCall<T> {
    /** How long a cancelled statement may take to end before its connection is aborted, and the abort to take effect. */
    private static final Duration CUT_GRACE = Duration.ofSeconds(5);

    private final FutureTask<T> task;
    private final Thread thread;
    private volatile Dialect dialect;
    private volatile Connection connection;
    private volatile Statement statement;
    /** Set when the caller wants no more (it stopped early or was cut): the work stops at its next check. */
    private volatile boolean stopping;
    private final AtomicBoolean cutting = new AtomicBoolean();

    /** What the call does on its thread; it may ask the call whether to stop ({@link #stopping()}). */
    interface Work<T> {
        T run(DatabaseCall<T> call) throws SQLException;
    }

    private DatabaseCall(String name, Work<T> work) {
        this.task = new FutureTask<>(() -> {
            try {
                return work.run(this);
            } finally {
                closeRegistered();
            }
        });
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(task);
    }

    /** Starts {@code work} on a platform thread named {@code name}. */
    static <T> DatabaseCall<T> start(String name, Work<T> work) {
        DatabaseCall<T> call = new DatabaseCall<>(name, work);
        call.thread.start();
        return call;
    }

    /**
     * The work's result, once it has ended.
     *
     * @param what what the work does, e.g. "reading table public.orders", for the message of a cut
     * @throws SQLException the work's own failure, as it threw it
     * @throws SourceException when the calling thread is interrupted (the run is cut): the work was cut first
     */
    T result(String what) throws SQLException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            throw cut(what, e);
        } catch (ExecutionException e) {
            throw SqlFailures.rethrown(e.getCause());
        }
    }

    /**
     * Cuts the work for a caller that was interrupted, and returns what the caller throws: the interrupt flag is set again,
     * so the run's own handling sees it.
     */
    SourceException cut(String what, InterruptedException interrupt) {
        cut();
        Thread.currentThread().interrupt();
        return new SourceException("interrupted while " + what + "; the database's work was cancelled", false, interrupt);
    }

    /** A new connection for the work, which a cut aborts. Called on the call's thread. */
    Connection connect(Database database) throws SQLException {
        Connection opened = database.connect();
        dialect = database.dialect();
        connection = opened;
        if (stopping) {
            throw new SQLException("cut while connecting", "57014");
        }
        return opened;
    }

    /** Registers the statement a cut cancels, and returns it. Called on the call's thread. */
    <S extends Statement> S inFlight(S executing) throws SQLException {
        statement = executing;
        if (stopping) {
            throw new SQLException("cut before the statement ran", "57014");
        }
        return executing;
    }

    /** Whether the caller wants no more: the work stops at its next check, and its connection is closed then. */
    boolean stopping() {
        return stopping;
    }

    /**
     * Asks the work to stop at its next check and waits for it to end, however long that takes (a row fetch under way
     * completes first): for a caller that wants no more rows, whose connection must not be broken for that. A caller
     * that is interrupted (the run is cut, and the sink threw for it) cuts the work instead, and stays interrupted.
     */
    void stop() {
        stopping = true;
        if (Thread.currentThread().isInterrupted()) {
            cut();
            return;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            cut();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Cancels the statement in flight and waits up to the grace for the work to end; then, or at once when no statement
     * is in flight (connecting, or reading the catalog), aborts the connection and waits another grace. A work still
     * connecting past that ends when the driver's own connect timeout does, and closes what it opened. Only the first
     * cut does anything.
     */
    private void cut() {
        if (!cutting.compareAndSet(false, true)) {
            return;
        }
        stopping = true;
        Connection open = connection;
        Statement executing = statement;
        if (open != null && executing != null) {
            try {
                dialect.cancel(open, executing);
                if (ended()) {
                    return;
                }
            } catch (SQLException e) {
                // Aborted below instead.
            }
        }
        if (open != null) {
            try {
                open.abort(Runnable::run);
            } catch (SQLException e) {
                // Closed already, or the driver cannot abort: the work ends with its connection's own timeouts.
            }
        }
        ended();
    }

    /** Waits up to the grace for the work to end, uninterruptibly: a cut is under way already. */
    private boolean ended() {
        long deadline = System.nanoTime() + CUT_GRACE.toNanos();
        boolean interrupted = false;
        while (thread.isAlive() && System.nanoTime() < deadline) {
            try {
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private void closeRegistered() {
        try (Connection open = connection; Statement executing = statement) {
            // Closed in reverse order: the statement, then its connection.
        } catch (SQLException e) {
            // The work's result stands (what it read was read); a connection that fails to close is one the database
            // drops, and one a cut aborted fails to close.
        }
    }
}
