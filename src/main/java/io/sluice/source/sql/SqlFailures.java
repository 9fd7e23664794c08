package io.sluice.source.sql;

import io.sluice.source.SourceException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** Turns a database error into a {@link SourceException} naming what was being read, classified where it is thrown. */
final class SqlFailures {
    private SqlFailures() {
    }

    /**
     * @param what what was being done, e.g. "reading table public.orders"; with the database's own message after it
     */
    static SourceException of(String what, SQLException cause) {
        return new SourceException(what + ": " + cause.getMessage(), isTransient(cause), cause);
    }

    /**
     * A failure that a helper thread handed over, thrown again as it is on the thread that waited for it: a database
     * error or an Error is thrown here; anything else is returned, unchecked, for the caller to throw.
     */
    static RuntimeException rethrown(Throwable failure) throws SQLException {
        switch (failure) {
            case SQLException e -> throw e;
            case Error e -> throw e;
            case RuntimeException e -> {
                return e;
            }
            default -> {
                return new IllegalStateException(failure);
            }
        }
    }

    /**
     * Transient when the connection failed or broke (SQLSTATE class 08), the server is shutting down (57P), or the
     * transaction lost a race (40): trying again may succeed. A wrong password (28), a syntax error or a missing
     * table (42) would fail the same way again.
     */
    static boolean isTransient(SQLException cause) {
        if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException) {
            return true;
        }
        String state = cause.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("40"));
    }
}
