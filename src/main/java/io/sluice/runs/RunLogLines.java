package io.sluice.runs;

import io.sluice.catalog.Page;
import io.sluice.catalog.RunLogStore;
import io.sluice.catalog.StoredLogLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A run's log lines in the catalog, bounded: the first {@code maxLines} are stored, then one line says how many more
 * were dropped. The first lines are kept rather than the last because they say what the run set out to do and where it
 * first went wrong; how it ended is kept anyway, in the run (its state and error) and its state changes, which are
 * never dropped. Used under the run channel's lock.
 */
final class RunLogLines {
    private static final int HISTORY_PAGE = 1000;

    private final RunLogStore store;
    private final int maxLines;
    private long kept;
    private long dropped;

    RunLogLines(RunLogStore store, int maxLines) {
        this.store = store;
        this.maxLines = maxLines;
    }

    /** Stores the line while the run has room for it; counts it as dropped after. */
    void append(RecordedEvent recorded, RunEvent.LogLine line) {
        if (kept < maxLines) {
            kept++;
            store.appendLogLine(RunEventCodec.encodeLine(recorded, line));
        } else {
            dropped++;
        }
    }

    /** The line that says how many lines were dropped, when any were; once the run has ended, for {@link #appendNotice}. */
    Optional<RunEvent.LogLine> droppedNotice() {
        return dropped == 0 ? Optional.empty() : Optional.of(new RunEvent.LogLine(RunEvent.LogLine.Level.WARN,
                dropped + " more log line(s) dropped: a run keeps its first " + maxLines + " (sluice.runs.logs.max-lines-per-run)"));
    }

    /** Stores the notice of dropped lines, past the bound it reports. */
    void appendNotice(RecordedEvent recorded, RunEvent.LogLine notice) {
        store.appendLogLine(RunEventCodec.encodeLine(recorded, notice));
    }

    /** Every stored line of a run, in order. */
    static List<RecordedEvent> all(RunLogStore store, String runId) {
        List<RecordedEvent> lines = new ArrayList<>();
        String token = "";
        do {
            Page<StoredLogLine> page = store.logLines(runId, HISTORY_PAGE, token);
            page.items().forEach(line -> lines.add(RunEventCodec.decodeLine(line)));
            token = page.nextPageToken();
        } while (!token.isEmpty());
        return lines;
    }
}
