package io.sluice.runs;

import io.sluice.catalog.Run;
import io.sluice.catalog.RunStore;
import io.sluice.catalog.StoredEvent;
import io.sluice.catalog.StoredLogLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A run's stored events and log lines that are not in the catalog yet, so that they go with its next change in one
 * catalog transaction (one commit, which is most of what a catalog write costs) instead of one commit each. The run
 * channel writes them then, or sooner when {@link #full()}, or a little after they came (see {@link RunChannel}). A
 * process that dies loses what its unfinished runs had not written yet: per run, less than a batch, logged within
 * {@link RunChannel#WRITE_DELAY} of its death; the run itself is found CRASHED all the same. Used under the run
 * channel's lock.
 */
final class UnstoredEvents {
    /** Events and lines written at once when this many wait, so a run that logs a lot writes them in batches. */
    static final int BATCH = 200;

    private final List<StoredEvent> events = new ArrayList<>();
    private final List<StoredLogLine> logLines = new ArrayList<>();
    private final List<Reading> readings = new ArrayList<>();

    /**
     * A watcher reading the run's stored history outside the run channel's lock: what is written meanwhile, which its
     * read may or may not have seen, is kept for it here, so that with what still waits it misses nothing.
     */
    static final class Reading {
        private final List<RecordedEvent> written = new ArrayList<>();
    }

    void add(StoredEvent event) {
        events.add(event);
    }

    void add(StoredLogLine line) {
        logLines.add(line);
    }

    boolean isEmpty() {
        return events.isEmpty() && logLines.isEmpty();
    }

    boolean full() {
        return events.size() + logLines.size() >= BATCH;
    }

    /** How many events and lines wait now, for {@link #forgetSince}. */
    record Mark(int events, int logLines) {
    }

    Mark mark() {
        return new Mark(events.size(), logLines.size());
    }

    /** Forgets what was added since the mark: the events of a run change that could not be written. */
    void forgetSince(Mark mark) {
        events.subList(mark.events(), events.size()).clear();
        logLines.subList(mark.logLines(), logLines.size()).clear();
    }

    /**
     * Writes the changed run, when there is one, with every event and line waiting, in one transaction; they wait no
     * more once written. When the write fails, nothing of it is stored, and they still wait. With nothing to write, the
     * catalog is not asked (see CatalogSql#updateAll).
     */
    void write(RunStore store, Optional<Run> changed) {
        store.storeRunChanges(changed, events, logLines);
        if (!readings.isEmpty()) {
            List<RecordedEvent> written = waiting();
            readings.forEach(reading -> reading.written.addAll(written));
        }
        events.clear();
        logLines.clear();
    }

    /** Starts keeping what is written for a watcher that reads the stored history now. */
    Reading startReading() {
        Reading reading = new Reading();
        readings.add(reading);
        return reading;
    }

    /**
     * The watcher has read the stored history: what was written since it started, and what still waits.
     *
     * @return those events and log lines, in no particular order
     */
    List<RecordedEvent> endReading(Reading reading) {
        readings.removeIf(started -> started == reading);
        List<RecordedEvent> missed = new ArrayList<>(reading.written);
        missed.addAll(waiting());
        return missed;
    }

    /** What waits to be written, as the events it records. */
    private List<RecordedEvent> waiting() {
        return Stream.concat(events.stream().map(RunEventCodec::decode), logLines.stream().map(RunEventCodec::decodeLine)).toList();
    }
}
