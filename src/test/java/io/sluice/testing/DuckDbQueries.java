package io.sluice.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.Properties;
import org.duckdb.DuckDBDriver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads what a run loaded, straight from the DuckDB file. */
public final class DuckDbQueries {
    private DuckDbQueries() {
    }

    public static long count(Path database, String sql) {
        return Long.parseLong(rows(database, sql).getFirst().getFirst());
    }

    /** Every row of the query, each value as text (null as "null"). */
    public static List<List<String>> rows(Path database, String sql) {
        try (Connection connection = new DuckDBDriver().connect("jdbc:duckdb:" + database, new Properties());
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(String.valueOf(result.getString(i)));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
