package io.sluice.runs;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.SequencedSet;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * A number of slots that runs of any pipeline take one each while they run, first come first served, knowing which
 * runs hold them so a waiting run can say whom it waits for. In memory only: a process that dies holds none.
 *
 * <p>A slot given back is handed to the first run in line, and only that run is woken: with hundreds waiting (a
 * window of scheduled runs), waking them all on every run's end cost more CPU than the runs themselves.
 */
final class SharedLimit {
    private final String name;
    private final int size;
    private final String because;
    /** Guarded by this. */
    private final SequencedSet<String> holders = new LinkedHashSet<>();
    /** The runs in line, each with what wakes it once it was handed a slot. Guarded by this. */
    private final SequencedMap<String, CountDownLatch> waiting = new LinkedHashMap<>();

    /**
     * @param name the limit's name, as snapshots show it
     * @param because what a waiting run's reason ends with: which limit it is and where its size is set
     */
    SharedLimit(String name, int size, String because) {
        if (size < 1) {
            throw new IllegalArgumentException("limit " + name + " must have at least 1 slot, not " + size);
        }
        this.name = name;
        this.size = size;
        this.because = because;
    }

    /**
     * Takes a slot for the run, waiting PENDING in line while all are held or others wait before it.
     *
     * @param told told why the run waits as it starts waiting; {@link #whyWaiting} says it as the holders change
     * @throws InterruptedException when the run was stopped while it waited; it holds no slot then
     */
    void take(String runId, Consumer<String> told) throws InterruptedException {
        CountDownLatch handedOver = new CountDownLatch(1);
        String reason;
        synchronized (this) {
            if (tryTake(runId)) {
                return;
            }
            waiting.put(runId, handedOver);
            reason = reason();
        }
        try {
            // Told outside the lock: telling writes to the catalog, and runs ending need the lock meanwhile.
            told.accept(reason);
            handedOver.await();
        } catch (InterruptedException | RuntimeException stopped) {
            synchronized (this) {
                // Stopped just as it was handed a slot: the slot goes on to the next in line.
                if (waiting.remove(runId) == null) {
                    release(runId);
                }
            }
            throw stopped;
        }
    }

    /** Takes a slot for the run when one is free and no run waits for one; false, taking nothing, otherwise. */
    synchronized boolean tryTake(String runId) {
        if (holders.size() >= size || !waiting.isEmpty()) {
            return false;
        }
        holders.add(runId);
        return true;
    }

    /** Gives the run's slot back, if it holds one, handing it to the first run in line. */
    synchronized void release(String runId) {
        if (!holders.remove(runId)) {
            return;
        }
        while (holders.size() < size && !waiting.isEmpty()) {
            Map.Entry<String, CountDownLatch> first = waiting.pollFirstEntry();
            holders.add(first.getKey());
            first.getValue().countDown();
        }
    }

    /** Why the run waits for this limit now, naming the runs holding it; empty when it does not wait for it. */
    synchronized Optional<String> whyWaiting(String runId) {
        return waiting.containsKey(runId) ? Optional.of(reason()) : Optional.empty();
    }

    private String reason() {
        return "waiting for a slot of " + because + ": all " + size + " held by run" + (holders.size() == 1 ? " " : "s ")
                + String.join(", ", holders);
    }

    synchronized LimitUsage usage(LimitUsage.Kind kind) {
        return new LimitUsage(kind, name, size, List.copyOf(holders), List.copyOf(waiting.sequencedKeySet()));
    }
}
