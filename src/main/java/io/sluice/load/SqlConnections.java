package io.sluice.load;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How one SQL destination is used: reads and writes each through a connection of their own, transactions, and
 * cancelling — a cancel stops the statement running now and every statement after it, so a cancelled load throws and
 * commits nothing.
 */
final class SqlConnections {
    private final SqlDestination destination;
    private volatile Statement running;
    private volatile boolean cancelled;

    SqlConnections(SqlDestination destination) {
        this.destination = destination;
    }

    interface Read<T> {
        T apply(Connection connection) throws SQLException;
    }

    interface Write {
        void apply(Connection connection) throws SQLException;
    }

    interface Work {
        void apply(Statement statement) throws SQLException;
    }

    /** Writes through a connection of its own; a failure names {@code what} was being done and whether to try again. */
    void write(Write write, String what) {
        try (Connection connection = destination.open()) {
            write.apply(connection);
        } catch (SQLException e) {
            throw new LoadException(cancelled ? "load cancelled" : what + " into " + destination.location() + " failed: " + e.getMessage(),
                    !cancelled && destination.transientFailure(e), e);
        }
    }

    /** Reads the destination if it exists; one never loaded answers {@code absent} (or, with none, "nothing loaded"). */
    <T> T read(Read<T> read, T absent) {
        if (!destination.exists()) {
            if (absent == null) {
                throw new LoadException("nothing was loaded into " + destination.location() + " yet", false, null);
            }
            return absent;
        }
        try (Connection connection = destination.open()) {
            return read.apply(connection);
        } catch (SQLException e) {
            throw new LoadException("reading " + destination.location() + " failed: " + e.getMessage(), destination.transientFailure(e), e);
        }
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

    void execute(Statement statement, String sql) throws SQLException {
        checkCancelled();
        statement.execute(sql);
    }

    /** Whether the query, of one row and one boolean column, answers true. */
    boolean holds(Statement statement, String query) throws SQLException {
        checkCancelled();
        try (ResultSet result = statement.executeQuery(query)) {
            result.next();
            return result.getBoolean(1);
        }
    }

    void checkCancelled() throws SQLException {
        if (cancelled) {
            throw new SQLException("load cancelled");
        }
    }

    /** Asks a load in progress to stop. Safe from any thread. */
    void cancel() {
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

    /** The database the connection is in, which qualifies the names of its tables. */
    static String currentCatalog(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT current_database()")) {
            result.next();
            return result.getString(1);
        }
    }

    /**
     * Rolls back after {@code failure}; a rollback that fails too (the connection died) is kept beside the failure,
     * never in its place, so the error still says what went wrong first.
     */
    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
