package io.sluice.runs;

import io.sluice.load.OwnerLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs of one pipeline take turns, first triggered first: in this process by a line per pipeline, and across the
 * processes sharing a data directory (a {@code sluice run} beside a {@code sluice serve}) by an {@link OwnerLock} on
 * {@code <data>/turns/<pipeline>.lock}, held by the run whose turn it is for as long as it runs. So any number of
 * runs triggered at once end as if they had been run one after the other: none reads a schema, state or pending
 * package that another is about to change.
 */
final class PipelineTurns {
    /** A lock another process holds sends no signal when it is let go: look again this often. */
    private static final Duration OTHER_PROCESS_POLL = Duration.ofMillis(100);

    private final Path directory;
    /** Guarded by this. */
    private final Map<String, Deque<String>> lines = new HashMap<>();

    /** @param dataDirectory the data directory every process running these pipelines shares */
    PipelineTurns(Path dataDirectory) {
        this.directory = dataDirectory.resolve("turns");
    }

    /** Puts a run at the end of its pipeline's line; the order of these calls is the order of the turns. */
    synchronized void join(String pipeline, String runId) {
        lines.computeIfAbsent(pipeline, name -> new ArrayDeque<>()).addLast(runId);
    }

    /**
     * Waits until it is the run's turn: every run ahead of it in this process has left the line, and no other process
     * runs the pipeline. Says why whenever what it waits for changes.
     *
     * @param waiting told why the run waits, each time that changes
     * @return the turn, held until closed
     * @throws InterruptedException when the run was stopped while it waited; it is still in line, see {@link #leave}
     */
    OwnerLock await(String pipeline, String runId, Consumer<String> waiting) throws InterruptedException {
        String told = null;
        while (true) {
            String ahead;
            synchronized (this) {
                ahead = ahead(pipeline, runId);
                if (ahead != null && ahead.equals(told)) {
                    wait();
                    continue;
                }
            }
            if (ahead == null) {
                break;
            }
            // Told outside the lock: telling writes to the catalog, and other pipelines' runs need the lock meanwhile.
            waiting.accept("waiting for run " + ahead + " of pipeline " + pipeline + " to end (runs of one pipeline take turns)");
            told = ahead;
        }
        Path lockFile = directory.resolve(pipeline + ".lock");
        Optional<OwnerLock> turn = OwnerLock.tryTake(lockFile);
        if (turn.isEmpty()) {
            waiting.accept("waiting for another process sharing data directory " + directory.getParent() + " to end its run of pipeline "
                    + pipeline + " (runs of one pipeline take turns)");
        }
        while (turn.isEmpty()) {
            Thread.sleep(OTHER_PROCESS_POLL);
            turn = OwnerLock.tryTake(lockFile);
        }
        return turn.get();
    }

    /** Takes the run out of its pipeline's line, whether it had its turn or was stopped waiting for it. */
    synchronized void leave(String pipeline, String runId) {
        Deque<String> line = lines.get(pipeline);
        if (line == null) {
            return;
        }
        line.remove(runId);
        if (line.isEmpty()) {
            lines.remove(pipeline);
        }
        notifyAll();
    }

    /** The run whose turn it is, when it is not {@code runId}'s. */
    private String ahead(String pipeline, String runId) {
        Deque<String> line = lines.get(pipeline);
        String first = line == null ? null : line.peekFirst();
        if (first == null || !line.contains(runId)) {
            throw new IllegalStateException("run " + runId + " is not in the line of pipeline " + pipeline);
        }
        return first.equals(runId) ? null : first;
    }
}
