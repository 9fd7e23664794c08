package io.sluice.source.sql;

import io.sluice.source.ItemSink;
import io.sluice.source.RowBatch;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

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
    /** How often a reader whose batch waits for room checks whether the sink has stopped. */
    private static final long OFFER_MILLIS = 50;

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
        BlockingQueue<Batch> ready = new ArrayBlockingQueue<>(BATCHES_AHEAD);
        DatabaseCall<Void> call = DatabaseCall.start("sql-rows", reading -> {
            readInto(reading, query, typed, ready);
            return null;
        });
        try {
            long read = 0;
            while (true) {
                Batch batch = ready.take();
                if (batch.failure() != null) {
                    throw SqlFailures.rethrown(batch.failure());
                }
                if (batch.rows().isEmpty()) {
                    return;
                }
                read += batch.rows().size();
                boolean more = distinctNames ? hand(batch.rows(), read, relation, names, sink) : handItems(batch.rows(), read, relation, typed, sink);
                if (!more) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            throw call.cut("reading " + relation.description(), e);
        } finally {
            // The connection is closed once the reader is done: a sink that merely wants no more rows waits for the batch
            // under way rather than breaking the connection.
            call.stop();
        }
    }

    /** The reader's side: batches into {@code ready}, then an empty batch, or the failure; stops when told. */
    private static void readInto(DatabaseCall<Void> call, Query query, TypedRows typed, BlockingQueue<Batch> ready) {
        try (ResultSet rows = query.execute(call)) {
            List<Object[]> batch = new ArrayList<>(BATCH_ROWS);
            while (!call.stopping() && rows.next()) {
                batch.add(typed.values(rows));
                if (batch.size() == BATCH_ROWS) {
                    offer(call, ready, new Batch(batch, null));
                    batch = new ArrayList<>(BATCH_ROWS);
                }
            }
            if (!batch.isEmpty()) {
                offer(call, ready, new Batch(batch, null));
            }
            offer(call, ready, new Batch(List.of(), null));
        } catch (SQLException | RuntimeException | Error e) {
            // Handed over, so the sink's side ends as it would have on this thread; it would wait forever otherwise.
            offer(call, ready, new Batch(List.of(), e));
        }
    }

    /** Puts a batch in the queue, or drops it once the sink's side has stopped: nobody takes it then. */
    private static void offer(DatabaseCall<Void> call, BlockingQueue<Batch> ready, Batch batch) {
        try {
            while (!ready.offer(batch, OFFER_MILLIS, TimeUnit.MILLISECONDS)) {
                if (call.stopping()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // Nobody interrupts the call's thread: a cut reaches it through the database.
            Thread.currentThread().interrupt();
        }
    }

    /** Rows read, or why reading failed; an empty batch without a failure ends the result. */
    private record Batch(List<Object[]> rows, Throwable failure) {
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
