package io.sluice.runs;

import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.CatalogTime;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.StoredEvent;
import io.sluice.pipeline.PipelineSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The live side of one active run: its current record, its event sequence, progress so far, and its watchers.
 * Stored events and run changes are written to the catalog as they happen.
 */
final class RunChannel {
    private final CatalogStore store;
    private final int watchBacklog;
    private final RunObserver observer;
    private final RunLogLines logLines;
    private final Map<String, RunEvent.TableProgress> progress = new LinkedHashMap<>();
    private final List<RunWatch> watchers = new ArrayList<>();
    private Run run;
    private long sequence;
    private boolean ended;

    /** A channel that stores every log line: for a run's history, which adds none, and for tests' runs. */
    RunChannel(Run run, CatalogStore store, int watchBacklog) {
        this.run = run;
        this.store = store;
        this.watchBacklog = watchBacklog;
        this.observer = RunObserver.NONE;
        this.logLines = new RunLogLines(store, Integer.MAX_VALUE);
    }

    /**
     * @param maxLogLines log lines stored at most (see {@link RunLogLines})
     * @param observer told of the run of {@code spec} as it is triggered (on this thread), then of each event published
     */
    RunChannel(Run run, PipelineSpec spec, CatalogStore store, int watchBacklog, int maxLogLines, RunObserver observer) {
        this.run = run;
        this.store = store;
        this.watchBacklog = watchBacklog;
        this.observer = observer;
        this.logLines = new RunLogLines(store, maxLogLines);
        observer.triggered(run, spec, this::publish);
    }

    /**
     * The channel of a run with a stored history (reopened for a retry, or found crashed): its events and log lines
     * number on from it. Without a spec (its pipeline was deleted) no observer is told of it.
     */
    static RunChannel continuing(Run run, Optional<PipelineSpec> spec, CatalogStore store, int watchBacklog, int maxLogLines,
                                 RunObserver observer) {
        RunChannel channel = spec.map(known -> new RunChannel(run, known, store, watchBacklog, maxLogLines, observer))
                .orElseGet(() -> new RunChannel(run, store, watchBacklog));
        List<StoredEvent> history = store.events(run.id());
        channel.sequence = Math.max(history.isEmpty() ? 0 : history.getLast().sequence(), store.lastLogLineSequence(run.id()));
        return channel;
    }

    synchronized Run run() {
        return run;
    }

    /** Records on run {@code earlierRun} that this run committed the load package it left. */
    void resumedRun(String earlierRun) {
        store.markResumed(earlierRun, run().id());
    }

    void publish(RunEvent event) {
        RecordedEvent recorded;
        synchronized (this) {
            recorded = new RecordedEvent(run.id(), ++sequence, CatalogTime.now(), event);
            if (event instanceof RunEvent.TableProgress table) {
                progress.put(table.stage() + "/" + table.table(), table);
            }
            if (event instanceof RunEvent.LogLine line) {
                logLines.append(recorded, line);
            } else if (RunEventCodec.stored(event)) {
                store.appendEvent(RunEventCodec.encode(recorded));
            }
            watchers.forEach(watcher -> watcher.offer(recorded));
            observer.published(run, event);
        }
    }

    /**
     * Changes the run record, stores it, and tells watchers when its state changed — all under the channel's lock, so
     * two threads changing the run (a cancel request, the run ending) publish their state changes in the order they
     * made them.
     */
    synchronized Run change(UnaryOperator<Run> change, String reason) {
        Run before = run;
        Run after = change.apply(before);
        store.updateRun(after);
        run = after;
        if (before.state() != after.state()) {
            publish(new RunEvent.StateChanged(before.state(), after.state(), reason));
        }
        return after;
    }

    /**
     * Says why the run, still PENDING, waits: stored in the run, and told to watchers as a state change from PENDING
     * to PENDING with that reason. A run no longer PENDING (a cancel came first) is left as it is.
     */
    synchronized void waiting(String reason) {
        if (run.state() != RunState.PENDING) {
            return;
        }
        run = run.waiting(reason);
        store.updateRun(run);
        publish(new RunEvent.StateChanged(RunState.PENDING, RunState.PENDING, reason));
    }

    /**
     * Publishes the run's last event (its summary, or why it failed) and ends the run in one step, so that a watcher
     * arriving meanwhile gets both or neither.
     */
    synchronized Run conclude(RunEvent last, UnaryOperator<Run> change, String reason) {
        publish(last);
        return change(change, reason);
    }

    /**
     * A snapshot, then the run's stored history so far (its state changes, schema changes and log lines: a watcher that
     * comes after the run created its tables still sees them), then live events — under the channel's lock, so each
     * event comes once and in order. Once the run has ended — also when a watcher comes just as it ends, before the
     * channel closes — the history is the whole of it, and the watch ends there.
     */
    synchronized RunWatch subscribe() {
        boolean over = ended || run.state().isTerminal();
        List<RecordedEvent> history = Stream.concat(store.events(run.id()).stream().map(RunEventCodec::decode),
                RunLogLines.all(store, run.id()).stream()).sorted(Comparator.comparingLong(RecordedEvent::sequence)).toList();
        RunWatch watch = new RunWatch(over ? Integer.MAX_VALUE : watchBacklog + history.size(), () -> unsubscribe(this));
        watch.offer(new RecordedEvent(run.id(), sequence, CatalogTime.now(),
                new RunEvent.Snapshot(run, List.copyOf(progress.values()))));
        history.forEach(watch::offer);
        if (over) {
            watch.end();
        } else {
            watchers.add(watch);
        }
        return watch;
    }

    /** The run has ended: the line saying how many log lines were dropped, if any were, then the end of every watch. */
    synchronized void end() {
        logLines.droppedNotice().ifPresent(notice -> {
            RecordedEvent recorded = new RecordedEvent(run.id(), ++sequence, CatalogTime.now(), notice);
            logLines.appendNotice(recorded, notice);
            watchers.forEach(watcher -> watcher.offer(recorded));
        });
        ended = true;
        watchers.forEach(RunWatch::end);
        watchers.clear();
    }

    private static void unsubscribe(RunChannel channel) {
        synchronized (channel) {
            channel.watchers.removeIf(RunWatch::finished);
        }
    }
}
