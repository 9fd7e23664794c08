package io.sluice.source.sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What a {@link DatabaseCall}'s thread reads, in batches a few ahead of the thread that takes them, so that reading the
 * database and what is done with the rows use two cores; memory stays bounded by the batches ahead. A batch spreads the
 * cost of a hand-over over many rows.
 */
final class ReadAhead<T> implements AutoCloseable {
    /** How often a reader whose batch waits for room checks whether the taker has stopped. */
    private static final long OFFER_MILLIS = 50;

    private final int batchRows;
    private final BlockingQueue<Batch<T>> ready;
    private final DatabaseCall<Void> call;

    /** The reading: hands each row to {@code into}, and stops at the next check once the call is stopping. */
    interface Reading<T> {
        void read(DatabaseCall<Void> call, Consumer<T> into) throws SQLException;
    }

    private ReadAhead(String name, int batchRows, int batchesAhead, Reading<T> reading) {
        this.batchRows = batchRows;
        this.ready = new ArrayBlockingQueue<>(batchesAhead);
        this.call = DatabaseCall.start(name, reading(reading));
    }

    /**
     * Starts the reading on a thread named {@code name}, in batches of {@code batchRows} rows, at most
     * {@code batchesAhead} batches ahead; a batch waits for room, and is dropped once the taker has stopped.
     */
    static <T> ReadAhead<T> start(String name, int batchRows, int batchesAhead, Reading<T> reading) {
        return new ReadAhead<>(name, batchRows, batchesAhead, reading);
    }

    private DatabaseCall.Work<Void> reading(Reading<T> reading) {
        return call -> {
            try {
                Filling filling = new Filling(call);
                reading.read(call, filling);
                filling.handOver();
                offer(call, new Batch<>(List.of(), null));
            } catch (SQLException | RuntimeException | Error e) {
                // Handed over, so the taker's side ends as it would have on this thread; it would wait forever otherwise.
                offer(call, new Batch<>(List.of(), e));
            }
            return null;
        };
    }

    /**
     * The next batch, empty once the reading has ended.
     *
     * @param what what is read, e.g. "reading table public.orders", for the message of a cut
     * @throws SQLException the reading's failure
     * @throws io.sluice.source.SourceException when this thread is interrupted (the run is cut): the reading was cut first
     */
    List<T> next(String what) throws SQLException {
        try {
            Batch<T> batch = ready.take();
            if (batch.failure() != null) {
                throw SqlFailures.rethrown(batch.failure());
            }
            return batch.rows();
        } catch (InterruptedException e) {
            throw call.cut(what, e);
        }
    }

    /**
     * Stops the reading and waits for it to end; its connection is closed then. A taker that merely wants no more waits
     * for the batch under way rather than breaking the connection; an interrupted one cuts it (see
     * {@link DatabaseCall#stop}).
     */
    @Override
    public void close() {
        call.stop();
    }

    /** Puts a batch in the queue, or drops it once the taker's side has stopped: nobody takes it then. */
    private void offer(DatabaseCall<Void> reading, Batch<T> batch) {
        try {
            while (!ready.offer(batch, OFFER_MILLIS, TimeUnit.MILLISECONDS)) {
                if (reading.stopping()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // Nobody interrupts the call's thread: a cut reaches it through the database.
            Thread.currentThread().interrupt();
        }
    }

    /** The batch the reading fills, handed over once full, and at the end. */
    private final class Filling implements Consumer<T> {
        private final DatabaseCall<Void> reading;
        private List<T> rows = new ArrayList<>(batchRows);

        Filling(DatabaseCall<Void> reading) {
            this.reading = reading;
        }

        @Override
        public void accept(T row) {
            rows.add(row);
            if (rows.size() == batchRows) {
                handOver();
            }
        }

        void handOver() {
            if (!rows.isEmpty()) {
                offer(reading, new Batch<>(rows, null));
                rows = new ArrayList<>(batchRows);
            }
        }
    }

    /** Rows read, or why reading failed; an empty batch without a failure ends the reading. */
    private record Batch<T>(List<T> rows, Throwable failure) {
    }
}
