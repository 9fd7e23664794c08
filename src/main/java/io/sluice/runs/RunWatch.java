package io.sluice.runs;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One watcher's mailbox. The run only ever offers to it, which never blocks: progress is coalesced to the latest
 * per table, and when a slow watcher's backlog is full, log lines are dropped (and counted) rather than the run
 * waiting. State changes and the summary are always kept.
 */
public final class RunWatch implements AutoCloseable {
    private final int capacity;
    private final Runnable onClose;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<RecordedEvent> events = new ArrayDeque<>();
    private final Map<String, RecordedEvent> progress = new LinkedHashMap<>();
    private boolean ended;
    private boolean closed;
    private long droppedLogLines;

    RunWatch(int capacity, Runnable onClose) {
        this.capacity = capacity;
        this.onClose = onClose;
    }

    void offer(RecordedEvent recorded) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            switch (recorded.event()) {
                case RunEvent.TableProgress table -> progress.put(table.stage() + "/" + table.table(), recorded);
                case RunEvent.LogLine ignored when events.size() >= capacity -> droppedLogLines++;
                default -> events.add(recorded);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The run has ended: once its events are taken, {@link #next} returns empty. */
    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next event in sequence order, waiting up to {@code timeout} for one.
     *
     * @return empty when none came in time, or when the run has ended and everything was taken ({@link #finished})
     */
    public Optional<RecordedEvent> next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (events.isEmpty() && progress.isEmpty() && !ended && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
            return Optional.ofNullable(takeEarliest());
        } finally {
            lock.unlock();
        }
    }

    /** True once the run has ended and every event was taken. */
    public boolean finished() {
        lock.lock();
        try {
            return closed || (ended && events.isEmpty() && progress.isEmpty());
        } finally {
            lock.unlock();
        }
    }

    /** Log lines this watcher missed because it read too slowly. */
    public long droppedLogLines() {
        lock.lock();
        try {
            return droppedLogLines;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            events.clear();
            progress.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onClose.run();
    }

    private RecordedEvent takeEarliest() {
        RecordedEvent head = events.peekFirst();
        RecordedEvent earliestProgress = null;
        String earliestKey = null;
        for (Map.Entry<String, RecordedEvent> entry : progress.entrySet()) {
            if (earliestProgress == null || entry.getValue().sequence() < earliestProgress.sequence()) {
                earliestProgress = entry.getValue();
                earliestKey = entry.getKey();
            }
        }
        if (earliestProgress != null && (head == null || earliestProgress.sequence() < head.sequence())) {
            progress.remove(earliestKey);
            return earliestProgress;
        }
        return events.pollFirst();
    }
}
