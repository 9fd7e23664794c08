package io.sluice.runs;

import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.CatalogTime;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.StoredEvent;
import io.sluice.pipeline.PipelineSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The live side of one active run: its current record, its event sequence, progress so far, and its watchers. Watchers
 * get each event as it is published. The catalog gets a run change together with the stored events and log lines
 * published since the last write (see {@link UnstoredEvents}), in one transaction; events and lines published between
 * changes are written in batches, or {@link #WRITE_DELAY} after the first of them came, whichever is sooner.
 */
final class RunChannel {
    private static final Logger LOG = Logger.getLogger(RunChannel.class);
    /**
     * How long a published event or log line may wait for the run's next change before it is written on its own: a
     * trivial run ends well within it (one commit for its end, its summary and its lines), and a reader of a longer
     * run's log (sluice runs logs) sees its lines this late at most. A process that dies loses what waited.
     */
    static final Duration WRITE_DELAY = Duration.ofSeconds(1);
    /** Starts the delayed writes: one small thread for every run, which hands each write to a virtual thread of its own. */
    private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("run-event-writes").daemon().factory());

    private final CatalogStore store;
    private final int watchBacklog;
    private final RunObserver observer;
    private final RunLogLines logLines;
    private final UnstoredEvents unstored = new UnstoredEvents();
    private final Map<String, RunEvent.TableProgress> progress = new LinkedHashMap<>();
    private final List<RunWatch> watchers = new ArrayList<>();
    private Run run;
    private long sequence;
    private boolean ended;
    private boolean writeScheduled;

    /** A channel that stores every log line: for a run's history, which adds none, and for tests' runs. */
    RunChannel(Run run, CatalogStore store, int watchBacklog) {
        this.run = run;
        this.store = store;
        this.watchBacklog = watchBacklog;
        this.observer = RunObserver.NONE;
        this.logLines = new RunLogLines(Integer.MAX_VALUE);
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
        this.logLines = new RunLogLines(maxLogLines);
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

    /**
     * A new run that starts as it is stored (admitted at once, see {@link ConcurrencyLimits#tryEnter}): the run, RUNNING,
     * and the first event of its history, the state change that says so, stored with it in one transaction.
     */
    record Start(Run run, RecordedEvent change) {
        static final String REASON = "started";

        static Start of(Run pending) {
            Run started = pending.started(CatalogTime.now());
            return new Start(started, new RecordedEvent(started.id(), 1, started.startTime().orElseThrow(),
                    new RunEvent.StateChanged(pending.state(), started.state(), REASON)));
        }

        List<StoredEvent> stored() {
            return List.of(RunEventCodec.encode(change));
        }
    }

    /** The new run has started as it was stored: watchers and the observer are told of its state change now. */
    synchronized void started(Start start) {
        sequence = start.change().sequence();
        run = start.run();
        deliver(start.change());
    }

    synchronized Run run() {
        return run;
    }

    /** Records on run {@code earlierRun} that this run committed the load package it left. */
    void resumedRun(String earlierRun) {
        store.markResumed(earlierRun, run().id());
    }

    /**
     * Tells watchers and the observer of the event at once; a stored event or a log line within the run's bound waits
     * to be written (see {@link UnstoredEvents}), at once when the run has ended.
     */
    void publish(RunEvent event) {
        synchronized (this) {
            RecordedEvent recorded = record(event);
            keep(recorded);
            deliver(recorded);
            if (ended || unstored.full()) {
                unstored.write(store, Optional.empty());
            } else if (!unstored.isEmpty() && !writeScheduled) {
                writeScheduled = true;
                LATER.schedule(() -> Thread.ofVirtual().name("run-events-" + run.id()).start(this::writeWaiting),
                        WRITE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** The event numbered next in the run's sequence. */
    private RecordedEvent record(RunEvent event) {
        return new RecordedEvent(run.id(), ++sequence, CatalogTime.now(), event);
    }

    /** Adds the event to what waits to be written, when it is stored: a log line within the run's bound, or a stored event. */
    private void keep(RecordedEvent recorded) {
        if (recorded.event() instanceof RunEvent.LogLine line) {
            logLines.kept(recorded, line).ifPresent(unstored::add);
        } else if (RunEventCodec.stored(recorded.event())) {
            unstored.add(RunEventCodec.encode(recorded));
        }
    }

    /** Tells the watchers and the observer of a recorded event, and keeps it when it is progress. */
    private void deliver(RecordedEvent recorded) {
        if (recorded.event() instanceof RunEvent.TableProgress table) {
            progress.put(table.stage() + "/" + table.table(), table);
        }
        watchers.forEach(watcher -> watcher.offer(recorded));
        observer.published(run, recorded.event());
    }

    /** Writes what waited {@link #WRITE_DELAY} for a run change that did not come; what fails to be written waits on. */
    private synchronized void writeWaiting() {
        writeScheduled = false;
        if (unstored.isEmpty()) {
            return;
        }
        try {
            unstored.write(store, Optional.empty());
        } catch (RuntimeException e) {
            LOG.warnf(e, "cannot store the events and log lines of run %s yet; they go with its next change", run.id());
        }
    }

    /**
     * Stores the changed run (when it changed) with the events that go with it and everything waiting, in one catalog
     * transaction (one commit instead of one per write: the catalog's commits were a large part of a small run's time),
     * then tells watchers of {@code before} and, once the run is {@code after}, of {@code changed}. A write that fails
     * leaves the channel as it was.
     */
    private void save(List<RunEvent> before, Optional<Run> after, List<RunEvent> changed) {
        long first = sequence;
        UnstoredEvents.Mark mark = unstored.mark();
        List<RecordedEvent> earlier = before.stream().map(this::record).toList();
        List<RecordedEvent> later = changed.stream().map(this::record).toList();
        earlier.forEach(this::keep);
        later.forEach(this::keep);
        try {
            unstored.write(store, after);
        } catch (RuntimeException e) {
            sequence = first;
            unstored.forgetSince(mark);
            throw e;
        }
        earlier.forEach(this::deliver);
        after.ifPresent(changedRun -> run = changedRun);
        later.forEach(this::deliver);
    }

    /** The state change from {@code before} to {@code after}, if the state changed. */
    private static List<RunEvent> stateChange(Run before, Run after, String reason) {
        return before.state() == after.state() ? List.of() : List.of(new RunEvent.StateChanged(before.state(), after.state(), reason));
    }

    /**
     * Changes the run record, stores it, and tells watchers when its state changed — all under the channel's lock, so
     * two threads changing the run (a cancel request, the run ending) publish their state changes in the order they
     * made them.
     */
    synchronized Run change(UnaryOperator<Run> change, String reason) {
        Run after = change.apply(run);
        save(List.of(), Optional.of(after), stateChange(run, after, reason));
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
        save(List.of(), Optional.of(run.waiting(reason)), List.of(new RunEvent.StateChanged(RunState.PENDING, RunState.PENDING, reason)));
    }

    /**
     * Publishes the run's last event (its summary, or why it failed) and ends the run in one step, so that a watcher
     * arriving meanwhile gets both or neither.
     */
    synchronized Run conclude(RunEvent last, UnaryOperator<Run> change, String reason) {
        Run after = change.apply(run);
        save(List.of(last), Optional.of(after), stateChange(run, after, reason));
        return after;
    }

    /**
     * A snapshot, then the run's stored history so far (its state changes, schema changes and log lines: a watcher that
     * comes after the run created its tables still sees them), then live events, each event once and in order. The
     * catalog is read outside the channel's lock, so the run goes on meanwhile; what it wrote meanwhile and what waits
     * to be written complete the history (see {@link UnstoredEvents#startReading}). Once the run has ended — also when a
     * watcher comes just as it ends, before the channel closes — the history is the whole of it, and the watch ends there.
     */
    RunWatch subscribe() {
        String runId;
        UnstoredEvents.Reading reading;
        synchronized (this) {
            runId = run.id();
            reading = unstored.startReading();
        }
        List<RecordedEvent> stored;
        try {
            stored = Stream.concat(store.events(runId).stream().map(RunEventCodec::decode), RunLogLines.all(store, runId).stream()).toList();
        } catch (RuntimeException e) {
            synchronized (this) {
                unstored.endReading(reading);
            }
            throw e;
        }
        synchronized (this) {
            return subscribe(stored, unstored.endReading(reading));
        }
    }

    /** Subscribes a watcher with the stored history it read and the events it would have missed (see {@link #subscribe()}). */
    private RunWatch subscribe(List<RecordedEvent> stored, List<RecordedEvent> missed) {
        boolean over = ended || run.state().isTerminal();
        Map<Long, RecordedEvent> bySequence = new TreeMap<>();
        Stream.concat(stored.stream(), missed.stream()).forEach(recorded -> bySequence.put(recorded.sequence(), recorded));
        List<RecordedEvent> history = List.copyOf(bySequence.values());
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

    /**
     * The run has ended: the line saying how many log lines were dropped, if any were, then what still waits is written,
     * then every watch ends. What cannot be written then is lost, and the service's log says so.
     */
    synchronized void end() {
        logLines.droppedNotice().ifPresent(notice -> {
            RecordedEvent recorded = record(notice);
            unstored.add(RunEventCodec.encodeLine(recorded, notice));
            watchers.forEach(watcher -> watcher.offer(recorded));
        });
        ended = true;
        try {
            unstored.write(store, Optional.empty());
        } catch (RuntimeException e) {
            LOG.warnf(e, "cannot store the last events and log lines of run %s", run.id());
        } finally {
            watchers.forEach(RunWatch::end);
            watchers.clear();
        }
    }

    private static void unsubscribe(RunChannel channel) {
        synchronized (channel) {
            channel.watchers.removeIf(RunWatch::finished);
        }
    }
}
