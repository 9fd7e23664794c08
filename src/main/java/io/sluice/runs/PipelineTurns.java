package io.sluice.runs;

import io.sluice.load.OwnerLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Runs of one pipeline take turns, first triggered first, at most {@code max_active_runs} at once (1 unless the spec
 * says otherwise): in this process by a line per pipeline, and across the processes sharing a data directory (a
 * {@code sluice run} beside a {@code sluice serve}) by an {@link OwnerLock} on {@code <data>/turns/<pipeline>.lock}
 * (and {@code <pipeline>.2.lock} …), held by a run whose turn it is for as long as it runs. With one run at a time,
 * any number of runs triggered at once end as if they had been run one after the other: none reads a schema, state or
 * pending package that another is about to change.
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
     * Waits until it is the run's turn: fewer than {@code maxActive} runs ahead of it in this process are still in the
     * line, and another process runs the pipeline fewer than {@code maxActive} times. Says why whenever what it waits
     * for changes.
     *
     * @param because why runs of the pipeline wait for each other, as the reason ends
     * @param waiting told why the run waits, each time that changes
     * @return the turn, held until closed
     * @throws InterruptedException when the run was stopped while it waited; it is still in line, see {@link #leave}
     */
    OwnerLock await(String pipeline, String runId, int maxActive, String because, Consumer<String> waiting) throws InterruptedException {
        List<String> told = null;
        while (true) {
            List<String> ahead;
            synchronized (this) {
                ahead = ahead(pipeline, runId, maxActive);
                if (ahead.equals(told)) {
                    wait();
                    continue;
                }
            }
            if (ahead.isEmpty()) {
                break;
            }
            // Told outside the lock: telling writes to the catalog, and other pipelines' runs need the lock meanwhile.
            waiting.accept("waiting for " + (ahead.size() == 1 ? "run " + ahead.getFirst() : "one of runs " + String.join(", ", ahead))
                    + " of pipeline " + pipeline + " to end (" + because + ")");
            told = ahead;
        }
        Optional<OwnerLock> turn = tryTake(pipeline, maxActive);
        if (turn.isEmpty()) {
            waiting.accept("waiting for another process sharing data directory " + directory.getParent() + " to end its run of pipeline "
                    + pipeline + " (" + because + ")");
        }
        while (turn.isEmpty()) {
            Thread.sleep(OTHER_PROCESS_POLL);
            turn = tryTake(pipeline, maxActive);
        }
        return turn.get();
    }

    /**
     * The turn of a run not in line yet, when it would be its turn at once: fewer than {@code maxActive} runs of the
     * pipeline are in line here, and another process runs it fewer than {@code maxActive} times. The run is not put in
     * line: see {@link #join}.
     */
    synchronized Optional<OwnerLock> tryTakeAtOnce(String pipeline, int maxActive) {
        return line(pipeline).size() < maxActive ? tryTake(pipeline, maxActive) : Optional.empty();
    }

    /** The runs in each pipeline's line, those whose turn it is first. */
    synchronized Map<String, List<String>> lines() {
        Map<String, List<String>> copy = new TreeMap<>();
        lines.forEach((pipeline, line) -> copy.put(pipeline, List.copyOf(line)));
        return copy;
    }

    /** The runs in the pipeline's line in this process. */
    synchronized List<String> line(String pipeline) {
        Deque<String> line = lines.get(pipeline);
        return line == null ? List.of() : List.copyOf(line);
    }

    /**
     * One of the pipeline's {@code maxActive} turn files: {@code <pipeline>.lock} (the only one when runs take turns),
     * then {@code <pipeline>.2.lock} and on; pipeline names have no dots, so no two pipelines share a file.
     */
    private Optional<OwnerLock> tryTake(String pipeline, int maxActive) {
        for (int turn = 1; turn <= maxActive; turn++) {
            Optional<OwnerLock> taken = OwnerLock.tryTake(directory.resolve(pipeline + (turn == 1 ? "" : "." + turn) + ".lock"));
            if (taken.isPresent()) {
                return taken;
            }
        }
        return Optional.empty();
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

    /** The runs whose turn it is, when {@code runId} is not among the first {@code maxActive} in line; else empty. */
    private List<String> ahead(String pipeline, String runId, int maxActive) {
        Deque<String> line = lines.get(pipeline);
        if (line == null || !line.contains(runId)) {
            throw new IllegalStateException("run " + runId + " is not in the line of pipeline " + pipeline);
        }
        List<String> first = line.stream().limit(maxActive).toList();
        return first.contains(runId) ? List.of() : first;
    }
}
