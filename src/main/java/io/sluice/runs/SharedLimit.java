package io.sluice.runs;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;
import java.util.function.Consumer;

/**
 * A number of slots that runs of any pipeline take one each while they run, first come first served, knowing which
 * runs hold them so a waiting run can say whom it waits for. In memory only: a process that dies holds none.
 */
final class SharedLimit {
    private final String name;
    private final int size;
    private final String because;
    /** Guarded by this. */
    private final SequencedSet<String> holders = new LinkedHashSet<>();
    /** Guarded by this. */
    private final Deque<String> waiting = new ArrayDeque<>();

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
     * Takes a slot for the run, waiting PENDING in line while all are held, and saying why whenever the holders change.
     *
     * @param told told why the run waits, each time that changes
     * @throws InterruptedException when the run was stopped while it waited; it holds no slot then
     */
    void take(String runId, Consumer<String> told) throws InterruptedException {
        List<String> toldHolders = null;
        synchronized (this) {
            waiting.addLast(runId);
        }
        try {
            while (true) {
                List<String> heldBy;
                synchronized (this) {
                    if (holders.size() < size && runId.equals(waiting.peekFirst())) {
                        waiting.removeFirst();
                        holders.add(runId);
                        notifyAll();
                        return;
                    }
                    heldBy = List.copyOf(holders);
                    if (heldBy.equals(toldHolders)) {
                        wait();
                        continue;
                    }
                }
                // Told outside the lock: telling writes to the catalog, and runs ending need the lock meanwhile.
                told.accept("waiting for a slot of " + because + ": all " + size + " held by run" + (heldBy.size() == 1 ? " " : "s ")
                        + String.join(", ", heldBy));
                toldHolders = heldBy;
            }
        } catch (InterruptedException stopped) {
            synchronized (this) {
                waiting.remove(runId);
                notifyAll();
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

    /** Gives the run's slot back, if it holds one. */
    synchronized void release(String runId) {
        if (holders.remove(runId)) {
            notifyAll();
        }
    }

    synchronized LimitUsage usage(LimitUsage.Kind kind) {
        return new LimitUsage(kind, name, size, List.copyOf(holders), List.copyOf(waiting));
    }
}
