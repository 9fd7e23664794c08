package io.sluice.source.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Lists the tables and views of a schema, in name order, that the patterns pick. */
final class TableDiscovery {
    private TableDiscovery() {
    }

    static List<String> tables(Connection connection, Dialect dialect, String schema, TablePatterns patterns) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet listed = dialect.tables(connection.getMetaData(), schema)) {
            while (listed.next()) {
                String table = listed.getString("TABLE_NAME");
                if (patterns.picks(table)) {
                    tables.add(table);
                }
            }
        }
        tables.sort(null);
        return tables;
    }
}
