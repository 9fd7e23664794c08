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
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs of one pipeline take turns, first triggered first, at most {@code max_active_runs} at once (1 unless the spec
 * says otherwise): in this process by a line per pipeline, and across the processes sharing a data directory (a
 * {@code sluice run} beside a {@code sluice serve}) by an {@link OwnerLock} on {@code <data>/turns/<pipeline>.lock}
 * (and {@code <pipeline>.2.lock} …), held by a run whose turn it is for as long as it runs. With one run at a time,
 * any number of runs triggered at once end as if they had been run one after the other: none reads a schema, state or
 * pending package that another is about to change.
 *
 * <p>A run leaving wakes only the runs waiting in its own pipeline's line, and a waiting run's reason is read when
 * asked ({@link #whyWaiting}) rather than told again each time the line moves: with hundreds of runs in line, waking and
 * storing for all of them on every run's end cost more than the runs.
 */
final class PipelineTurns {
    /** A lock another process holds sends no signal when it is let go: look again this often. */
    private static final Duration OTHER_PROCESS_POLL = Duration.ofMillis(100);

    private final Path directory;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private final Map<String, Line> lines = new HashMap<>();
    /** The runs waiting for their turn, with what they wait for. Guarded by lock. */
    private final Map<String, Waiter> waiters = new HashMap<>();

    /** One pipeline's runs in line, first triggered first, and what wakes its waiting runs when one leaves. */
    private record Line(Deque<String> runs, Condition changed) {
    }

    /** A run waiting for its turn: in this process's line, or for another process to end its run. */
    private record Waiter(String pipeline, int maxActive, String because, boolean otherProcess) {
    }

    /** @param dataDirectory the data directory every process running these pipelines shares */
    PipelineTurns(Path dataDirectory) {
        this.directory = dataDirectory.resolve("turns");
    }

    /** Puts a run at the end of its pipeline's line; the order of these calls is the order of the turns. */
    void join(String pipeline, String runId) {
        lock.lock();
        try {
            lines.computeIfAbsent(pipeline, name -> new Line(new ArrayDeque<>(), lock.newCondition())).runs().addLast(runId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until it is the run's turn: fewer than {@code maxActive} runs ahead of it in this process are still in the
     * line, and another process runs the pipeline fewer than {@code maxActive} times.
     *
     * @param because why runs of the pipeline wait for each other, as the reason ends
     * @param waiting told why the run waits as it starts waiting for runs of this process, and again if it then waits
     *                for another process; {@link #whyWaiting} says it as the line moves
     * @return the turn, held until closed
     * @throws InterruptedException when the run was stopped while it waited; it is still in line, see {@link #leave}
     */
    OwnerLock await(String pipeline, String runId, int maxActive, String because, Consumer<String> waiting) throws InterruptedException {
        Waiter waiter = new Waiter(pipeline, maxActive, because, false);
        try {
            Optional<String> reason = locked(() -> {
                Optional<String> why = reason(runId, waiter);
                why.ifPresent(told -> waiters.put(runId, waiter));
                return why;
            });
            if (reason.isPresent()) {
                // Told outside the lock: telling writes to the catalog, and other pipelines' runs need the lock meanwhile.
                waiting.accept(reason.get());
                lock.lock();
                try {
                    while (!ahead(pipeline, runId, maxActive).isEmpty()) {
                        lines.get(pipeline).changed().await();
                    }
                } finally {
                    lock.unlock();
                }
            }
            Optional<OwnerLock> turn = tryTake(pipeline, maxActive);
            if (turn.isEmpty()) {
                Waiter otherProcess = new Waiter(pipeline, maxActive, because, true);
                locked(() -> waiters.put(runId, otherProcess));
                waiting.accept(reason(runId, otherProcess).orElseThrow());
            }
            while (turn.isEmpty()) {
                Thread.sleep(OTHER_PROCESS_POLL);
                turn = tryTake(pipeline, maxActive);
            }
            return turn.get();
        } finally {
            locked(() -> waiters.remove(runId));
        }
    }

    /** Why the run waits for its turn now, naming the runs ahead of it; empty when it does not wait for its turn. */
    Optional<String> whyWaiting(String runId) {
        return locked(() -> Optional.ofNullable(waiters.get(runId)).flatMap(waiter -> reason(runId, waiter)));
    }

    /** Why the run waits, as it is now; empty when it is its turn in this process's line. Under the lock. */
    private Optional<String> reason(String runId, Waiter waiter) {
        if (waiter.otherProcess()) {
            return Optional.of("waiting for another process sharing data directory " + directory.getParent() + " to end its run of pipeline "
                    + waiter.pipeline() + " (" + waiter.because() + ")");
        }
        List<String> ahead = ahead(waiter.pipeline(), runId, waiter.maxActive());
        return ahead.isEmpty() ? Optional.empty() : Optional.of("waiting for " + (ahead.size() == 1 ? "run " + ahead.getFirst()
                : "one of runs " + String.join(", ", ahead)) + " of pipeline " + waiter.pipeline() + " to end (" + waiter.because() + ")");
    }

    /**
     * The turn of a run not in line yet, when it would be its turn at once: fewer than {@code maxActive} runs of the
     * pipeline are in line here, and another process runs it fewer than {@code maxActive} times. The run is not put in
     * line: see {@link #join}.
     */
    Optional<OwnerLock> tryTakeAtOnce(String pipeline, int maxActive) {
        return locked(() -> line(pipeline).size() < maxActive ? tryTake(pipeline, maxActive) : Optional.empty());
    }

    /** The runs in each pipeline's line, those whose turn it is first. */
    Map<String, List<String>> lines() {
        return locked(() -> {
            Map<String, List<String>> copy = new TreeMap<>();
            lines.forEach((pipeline, line) -> copy.put(pipeline, List.copyOf(line.runs())));
            return copy;
        });
    }

    /** The runs in the pipeline's line in this process. */
    List<String> line(String pipeline) {
        return locked(() -> {
            Line line = lines.get(pipeline);
            return line == null ? List.of() : List.copyOf(line.runs());
        });
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
    void leave(String pipeline, String runId) {
        lock.lock();
        try {
            Line line = lines.get(pipeline);
            if (line == null) {
                return;
            }
            line.runs().remove(runId);
            if (line.runs().isEmpty()) {
                lines.remove(pipeline);
            }
            line.changed().signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The runs whose turn it is, when {@code runId} is not among the first {@code maxActive} in line; else empty. Under the lock. */
    private List<String> ahead(String pipeline, String runId, int maxActive) {
        Line line = lines.get(pipeline);
        if (line == null || !line.runs().contains(runId)) {
            throw new IllegalStateException("run " + runId + " is not in the line of pipeline " + pipeline);
        }
        List<String> first = line.runs().stream().limit(maxActive).toList();
        return first.contains(runId) ? List.of() : first;
    }

    private <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
