package io.sluice.source.sql;

import io.sluice.source.ItemSink;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/** Hands the rows of a result to a sink as items, one at a time, as the driver streams them. */
final class RowItems {
    private RowItems() {
    }

    static void read(ResultSet rows, Relation relation, ItemSink sink) throws SQLException {
        TypedRows typed = new TypedRows(relation.columns());
        long row = 0;
        while (rows.next()) {
            Map<String, Object> item = typed.item(rows);
            long number = ++row;
            if (!sink.item(item, () -> relation.description() + ", row " + number)) {
                return;
            }
        }
    }
}
