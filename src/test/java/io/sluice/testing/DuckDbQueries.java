package io.sluice.testing;

import java.nio.file.Path;
import java.util.Properties;
import org.duckdb.DuckDBDriver;
import java.sql.SQLException;
import java.util.List;

/** Reads what a run loaded, straight from the DuckDB file. */
public final class DuckDbQueries {
    private DuckDbQueries() {
    }

    public static long count(Path database, String sql) {
        return Long.parseLong(rows(database, sql).getFirst().getFirst());
    }

    /** Runs statements (DDL, say) against the file, each in its own transaction. */
    public static void execute(Path database, String... statements) {
        try (var connection = new DuckDBDriver().connect("jdbc:duckdb:" + database, new Properties());
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
            return ResultRows.of(new DuckDBDriver().connect("jdbc:duckdb:" + database, new Properties()), sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open " + database + ": " + e.getMessage(), e);
        }
    }
}
