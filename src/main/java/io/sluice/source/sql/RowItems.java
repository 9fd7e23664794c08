package io.sluice.source.sql;

import io.sluice.source.ItemSink;
import io.sluice.source.RowBatch;
import io.sluice.source.SourceException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands the rows of a result to a sink as the driver streams them: as batches of typed rows, so that a sink that takes
 * rows builds no item for them, or one item at a time when two columns share a name (an item keeps one of them).
 */
final class RowItems {
    /** Rows per batch: enough to spread a sink call's cost, few enough that memory stays bounded by the batch. */
    private static final int BATCH_ROWS = 1024;
    /** Batches the reader may be ahead of the sink: memory stays bounded by a few batches. */
    private static final int BATCHES_AHEAD = 2;

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

    /**
     * Reads the rows on a thread of their own, a batch ahead of the sink, so that decoding the driver's rows and what the
     * sink does with them (normalizing) use two cores; the sink is still called on this thread, in row order.
     */
    private static void readBatches(ResultSet rows, Relation relation, TypedRows typed, List<String> names, ItemSink sink)
            throws SQLException {
        BlockingQueue<Batch> ready = new ArrayBlockingQueue<>(BATCHES_AHEAD);
        AtomicBoolean stopped = new AtomicBoolean();
        Thread reader = Thread.ofVirtual().name("sql-rows").start(() -> readInto(rows, typed, ready, stopped));
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
                if (!hand(batch.rows(), read, relation, names, sink)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while reading " + relation.description(), false, e);
        } finally {
            stopped.set(true);
            // The connection is closed after this returns: the reader must be done with the result first.
            joinReader(reader, ready);
        }
    }

    /** The reader's side: batches into {@code ready}, then an empty batch, or the failure; stops when told. */
    private static void readInto(ResultSet rows, TypedRows typed, BlockingQueue<Batch> ready, AtomicBoolean stopped) {
        try {
            List<Object[]> batch = new ArrayList<>(BATCH_ROWS);
            while (!stopped.get() && rows.next()) {
                batch.add(typed.values(rows));
                if (batch.size() == BATCH_ROWS) {
                    ready.put(new Batch(batch, null));
                    batch = new ArrayList<>(BATCH_ROWS);
                }
            }
            if (!batch.isEmpty()) {
                ready.put(new Batch(batch, null));
            }
            ready.put(new Batch(List.of(), null));
        } catch (SQLException | RuntimeException | Error e) {
            // Handed over, so the sink's side ends as it would have on this thread; it would wait forever otherwise.
            putQuietly(ready, new Batch(List.of(), e));
        } catch (InterruptedException e) {
            // Interrupted only once the sink's side has stopped: nobody waits for more.
            Thread.currentThread().interrupt();
        }
    }

    private static void putQuietly(BlockingQueue<Batch> ready, Batch batch) {
        try {
            ready.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for the reader to stop: it sees {@code stopped} within a batch. It is interrupted only when this thread was
     * (the run is cancelled): interrupting a read breaks the connection, which a sink that merely wanted no more rows
     * must not pay for.
     */
    private static void joinReader(Thread reader, BlockingQueue<Batch> ready) {
        boolean interrupted = Thread.interrupted();
        if (interrupted) {
            reader.interrupt();
        }
        while (reader.isAlive()) {
            ready.clear();
            try {
                reader.join(Duration.ofMillis(50));
            } catch (InterruptedException e) {
                interrupted = true;
                reader.interrupt();
            }
        }
        if (interrupted) {
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
}
