package io.sluice.testing;

import io.sluice.load.DuckDbFileRelease;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import org.duckdb.DuckDBDriver;
import java.sql.SQLException;
import java.util.List;

/** Reads what a run loaded, straight from the DuckDB file. */
public final class DuckDbQueries {
    /** How long a run still using the file may keep it: far more than a test's run needs to end. */
    private static final Duration IN_USE = Duration.ofSeconds(30);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(10);

    private DuckDbQueries() {
    }

    public static long count(Path database, String sql) {
        return Long.parseLong(rows(database, sql).getFirst().getFirst());
    }

    /** Runs statements (DDL, say) against the file, each in its own transaction. */
    public static void execute(Path database, String... statements) {
        try (var connection = open(database);
             var statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Every row of the query, each value as text (null as "null"). */
    public static List<List<String>> rows(Path database, String sql) {
        try {
            return ResultRows.of(open(database), sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open " + database + ": " + e.getMessage(), e);
        }
    }

    /**
     * The file opened as a database of its own, so a query sees it alone, as a tool would: this process's DuckDB
     * database lets it go first (a service keeps a file attached for a while after a run), once a run still using it
     * has ended.
     */
    private static Connection open(Path database) throws SQLException {
        long deadline = System.nanoTime() + IN_USE.toNanos();
        while (true) {
            DuckDbFileRelease.detachIfIdle(database);
            try {
                return new DuckDBDriver().connect("jdbc:duckdb:" + database, new Properties());
            } catch (SQLException e) {
                if (!DuckDbFileRelease.heldByAnotherDatabase(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                // Each try makes a DuckDB database (tens of ms of CPU): a short pause leaves the cores to the run it waits for.
                LockSupport.parkNanos(RETRY_PAUSE.toNanos());
            }
        }
    }
}
