package io.sluice.source.sql;

import io.sluice.source.ItemSink;
import io.sluice.source.RowBatch;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hands the rows of a query to a sink as the driver streams them: as batches of typed rows, so that a sink that takes
 * rows builds no item for them, or one item at a time when two columns share a name (an item keeps one of them).
 *
 * <p>The query runs, and its rows are read and decoded, on a {@link DatabaseCall}'s thread, a few batches ahead of the
 * sink, so that decoding the driver's rows and what the sink does with them (normalizing) use two cores; the sink is
 * still called on the calling thread, in row order.
 */
final class RowItems {
    /** Rows per batch: enough to spread a sink call's cost, few enough that memory stays bounded by the batch. */
    private static final int BATCH_ROWS = 1024;
    /** Batches the reader may be ahead of the sink: memory stays bounded by a few batches. */
    private static final int BATCHES_AHEAD = 2;

    private RowItems() {
    }

    /** Opens the rows on the call's thread, on a connection and statement registered with the call. */
    interface Query {
        ResultSet execute(DatabaseCall<Void> call) throws SQLException;
    }

    /**
     * @throws SQLException the query's or the driver's failure
     * @throws io.sluice.source.SourceException when this thread is interrupted (the run is cut): the query was cut first
     */
    static void read(Relation relation, Query query, ItemSink sink) throws SQLException {
        TypedRows typed = new TypedRows(relation.columns());
        List<String> names = typed.names();
        boolean distinctNames = new HashSet<>(names).size() == names.size();
        // The connection is closed once the reader is done: a sink that merely wants no more rows waits for the batch
        // under way rather than breaking the connection.
        try (ReadAhead<Object[]> ahead = ReadAhead.start("sql-rows", BATCH_ROWS, BATCHES_AHEAD,
                (call, rows) -> readInto(call, query, typed, rows))) {
            long read = 0;
            for (List<Object[]> batch = ahead.next("reading " + relation.description()); !batch.isEmpty();
                 batch = ahead.next("reading " + relation.description())) {
                read += batch.size();
                boolean more = distinctNames ? hand(batch, read, relation, names, sink) : handItems(batch, read, relation, typed, sink);
                if (!more) {
                    return;
                }
            }
        }
    }

    /** The reader's side: the query's rows, decoded. */
    private static void readInto(DatabaseCall<Void> call, Query query, TypedRows typed, Consumer<Object[]> into) throws SQLException {
        try (ResultSet rows = query.execute(call)) {
            while (!call.stopping() && rows.next()) {
                into.accept(typed.values(rows));
            }
        }
    }

    /** Hands a batch of rows, the last of the {@code read} so far, to the sink; false when the sink wants no more. */
    private static boolean hand(List<Object[]> batch, long read, Relation relation, List<String> names, ItemSink sink) {
        long first = read - batch.size() + 1;
        RowBatch rows = new RowBatch(names, batch, index -> relation.description() + ", row " + (first + index));
        return sink.rows(rows);
    }

    /** Hands a batch's rows to the sink one item each, for columns that share a name; false when it wants no more. */
    private static boolean handItems(List<Object[]> batch, long read, Relation relation, TypedRows typed, ItemSink sink) {
        long first = read - batch.size() + 1;
        for (int index = 0; index < batch.size(); index++) {
            long number = first + index;
            if (!sink.item(typed.item(batch.get(index)), () -> relation.description() + ", row " + number)) {
                return false;
            }
        }
        return true;
    }
}
