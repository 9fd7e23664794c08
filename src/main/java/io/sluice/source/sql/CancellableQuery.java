package io.sluice.source.sql;

import io.sluice.source.SourceException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a source's query on a virtual thread of its own while the caller waits, so that a run cut while the database is
 * still working on the query (sorting, or a slow view, before its first row) cancels it there. An interrupt alone ends
 * only this side: the driver's socket closes, and the database notices only when it next sends, which may be never.
 */
final class CancellableQuery {
    /** How long a cancelled query may take to end before its connection is broken instead. */
    private static final long CANCEL_DEADLINE_SECONDS = 10;

    private CancellableQuery() {
    }

    /**
     * The statement's result, executed on a thread of its own.
     *
     * @throws SourceException when the caller is interrupted (the run is cut): the query was cancelled on the server
     */
    static ResultSet execute(PreparedStatement statement, String what) throws SQLException {
        FutureTask<ResultSet> query = new FutureTask<>(statement::executeQuery);
        Thread executing = Thread.ofVirtual().name("sql-query").start(query);
        try {
            return query.get();
        } catch (InterruptedException e) {
            cancel(statement, query, executing);
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while querying " + what + "; the query was cancelled", false, e);
        } catch (ExecutionException e) {
            throw SqlFailures.rethrown(e.getCause());
        }
    }

    /**
     * Asks the database to cancel the query (the driver does so on a connection of its own), then waits for it to end,
     * breaking its connection past the deadline. A result that came in meanwhile is closed.
     */
    private static void cancel(PreparedStatement statement, FutureTask<ResultSet> query, Thread executing) {
        try {
            statement.cancel();
        } catch (SQLException e) {
            executing.interrupt();
        }
        try {
            ResultSet late = query.get(CANCEL_DEADLINE_SECONDS, TimeUnit.SECONDS);
            late.close();
        } catch (TimeoutException e) {
            executing.interrupt();
        } catch (ExecutionException | SQLException e) {
            // The cancelled query failed, as asked.
        } catch (InterruptedException e) {
            executing.interrupt();
        }
    }
}
