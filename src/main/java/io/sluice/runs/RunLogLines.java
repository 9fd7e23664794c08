package io.sluice.runs;

import io.sluice.catalog.Page;
import io.sluice.catalog.RunLogStore;
import io.sluice.catalog.StoredLogLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which of a run's log lines the catalog keeps: the first {@code maxLines} are stored, then one line says how many more
 * were dropped. The first lines are kept rather than the last because they say what the run set out to do and where it
 * first went wrong; how it ended is kept anyway, in the run (its state and error) and its state changes, which are
 * never dropped. The bound is counted as lines are logged, not as they are written, so it holds however the channel
 * batches its writes. Used under the run channel's lock.
 */
final class RunLogLines {
    private static final int HISTORY_PAGE = 1000;

    private final int maxLines;
    private long kept;
    private long dropped;

    RunLogLines(int maxLines) {
        this.maxLines = maxLines;
    }

    /** The line to store while the run has room for it; after that, empty, and the line counts as dropped. */
    Optional<StoredLogLine> kept(RecordedEvent recorded, RunEvent.LogLine line) {
        if (kept < maxLines) {
            kept++;
            return Optional.of(RunEventCodec.encodeLine(recorded, line));
        }
        dropped++;
        return Optional.empty();
    }

    /** The line that says how many lines were dropped, when any were; once the run has ended, stored past the bound. */
    Optional<RunEvent.LogLine> droppedNotice() {
        return dropped == 0 ? Optional.empty() : Optional.of(new RunEvent.LogLine(RunEvent.LogLine.Level.WARN,
                dropped + " more log line(s) dropped: a run keeps its first " + maxLines + " (sluice.runs.logs.max-lines-per-run)"));
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
