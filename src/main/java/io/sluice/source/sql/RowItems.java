package io.sluice.source.sql;

import io.sluice.source.ItemSink;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hands the rows of a result to a sink as items, one at a time, as the driver streams them. */
final class RowItems {
    private RowItems() {
    }

    static void read(ResultSet rows, Relation relation, ItemSink sink) throws SQLException {
        List<SqlColumn> columns = relation.columns();
        long row = 0;
        while (rows.next()) {
            Map<String, Object> item = LinkedHashMap.newLinkedHashMap(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                item.put(columns.get(i).name(), columns.get(i).kind().read(rows, i + 1));
            }
            long number = ++row;
            if (!sink.item(item, () -> relation.description() + ", row " + number)) {
                return;
            }
        }
    }
}
