package io.sluice.source.sql;

import io.sluice.source.ItemSink;
import io.sluice.source.RowBatch;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Hands the rows of a result to a sink as the driver streams them: as batches of typed rows, so that a sink that takes
 * rows builds no item for them, or one item at a time when two columns share a name (an item keeps one of them).
 */
final class RowItems {
    /** Rows per batch: enough to spread a sink call's cost, few enough that memory stays bounded by the batch. */
    private static final int BATCH_ROWS = 1024;

    private RowItems() {
    }

    static void read(ResultSet rows, Relation relation, ItemSink sink) throws SQLException {
        TypedRows typed = new TypedRows(relation.columns());
        List<String> names = typed.names();
        if (new HashSet<>(names).size() == names.size()) {
            readBatches(rows, relation, typed, names, sink);
            return;
        }
        long row = 0;
        while (rows.next()) {
            Map<String, Object> item = typed.item(rows);
            long number = ++row;
            if (!sink.item(item, () -> relation.description() + ", row " + number)) {
                return;
            }
        }
    }

    private static void readBatches(ResultSet rows, Relation relation, TypedRows typed, List<String> names, ItemSink sink)
            throws SQLException {
        List<Object[]> batch = new ArrayList<>(BATCH_ROWS);
        long read = 0;
        while (rows.next()) {
            batch.add(typed.values(rows));
            read++;
            if (batch.size() == BATCH_ROWS && !hand(batch, read, relation, names, sink)) {
                return;
            }
        }
        if (!batch.isEmpty()) {
            hand(batch, read, relation, names, sink);
        }
    }

    /** Hands the rows read so far to the sink and empties {@code batch}; false when the sink wants no more. */
    private static boolean hand(List<Object[]> batch, long read, Relation relation, List<String> names, ItemSink sink) {
        long first = read - batch.size() + 1;
        RowBatch rows = new RowBatch(names, batch, index -> relation.description() + ", row " + (first + index));
        batch.clear();
        return sink.rows(rows);
    }
}
