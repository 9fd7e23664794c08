package io.sluice.catalog;

import io.sluice.pipeline.PipelineSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Writes a pipeline as decided on what is stored, so concurrent writes end as if made one after the other: in this
 * process they take turns; across processes sharing a catalog the write is one statement that succeeds only if the
 * pipeline is still as read, and a write that lost is decided again on what the winner stored.
 */
final class PipelineWriter {
    /** How often a write that lost a race with another process is decided again before the caller is asked to try again. */
    private static final int RACES = 50;
    /** How long a write waits for another write of the same pipeline in this process. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final PipelineStore store;
    private final Map<String, ReentrantLock> turns = new ConcurrentHashMap<>();

    PipelineWriter(PipelineStore store) {
        this.store = store;
    }

    /** The record a write stores (the stored one itself when it leaves the pipeline as it is), and its validated spec. */
    record Decision(PipelineSpec spec, PipelineRecord record) {
    }

    /**
     * Stores what {@code decide} makes of the pipeline stored (empty when there is none); {@code decide} may throw to
     * refuse, and is called again when another process wrote in between.
     *
     * @return the decision stored
     */
    Decision write(String name, Function<Optional<PipelineRecord>, Decision> decide) {
        return exclusively(name, () -> {
            for (int race = 0; race < RACES; race++) {
                Optional<PipelineRecord> stored = store.pipeline(name);
                Decision decision = decide.apply(stored);
                if (stored.isPresent() && decision.record().equals(stored.get())) {
                    return decision;
                }
                boolean written = stored.isEmpty() ? inserted(decision.record())
                        : store.replacePipeline(decision.record(), stored.get().etag());
                if (written) {
                    return decision;
                }
            }
            throw new EtagMismatchException("pipeline '" + name + "' was changed " + RACES + " times while this write was made;"
                    + " try again");
        });
    }

    /**
     * Runs {@code write} when no other write of the pipeline runs in this process. Turns, not only the conditional
     * statement: DuckDB refuses two transactions that change one row at once ("Conflict on update"), where PostgreSQL
     * lets the second wait and then finds the etag changed.
     */
    <T> T exclusively(String name, Supplier<T> write) {
        ReentrantLock turn = turns.computeIfAbsent(name, key -> new ReentrantLock());
        try {
            if (!turn.tryLock(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new EtagMismatchException("pipeline '" + name + "' was being written by another call for " + WAIT.toSeconds()
                        + " s; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtagMismatchException("pipeline '" + name + "' was not written: interrupted while another call wrote it");
        }
        try {
            return write.get();
        } finally {
            turn.unlock();
        }
    }

    /** False when a pipeline of that name was stored since it was found missing. */
    private boolean inserted(PipelineRecord record) {
        try {
            store.insertPipeline(record);
            return true;
        } catch (AlreadyExistsException lost) {
            return false;
        }
    }
}
