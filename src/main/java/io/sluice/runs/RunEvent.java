package io.sluice.runs;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.RunSummary;
import io.sluice.catalog.Stage;
import io.sluice.schema.SchemaChange;
import java.time.Duration;
import java.util.List;

/** Something that happened in a run: the one progress vocabulary, from the executor to the API. */
public sealed interface RunEvent {
    /** The first thing a watcher gets: the run as it is now, with progress so far. Never stored. */
    record Snapshot(Run run, List<TableProgress> tables) implements RunEvent {
        public Snapshot {
            tables = List.copyOf(tables);
        }
    }

    record StateChanged(RunState from, RunState to, String reason) implements RunEvent {
    }

    /** Rows and bytes of one table so far in one stage. Coalesced for slow watchers; never stored. */
    record TableProgress(String resource, String table, Stage stage, long rows, long bytes, double rowsPerSecond,
                         Duration elapsed, long totalBytes) implements RunEvent {
    }

    /**
     * A line of the run's log.
     *
     * @param logger the logger that wrote the line, when the run's code logged it; empty for the run's own messages
     */
    record LogLine(Level level, String logger, String message) implements RunEvent {
        public LogLine {
            requireNonNull(level, "level is null");
            requireNonNull(message, "message is null");
            // Lines stored as run events before log lines named their logger have none.
            logger = requireNonNullElse(logger, "");
        }

        /** One of the run's own messages. */
        public LogLine(Level level, String message) {
            this(level, "", message);
        }

        public enum Level {
            DEBUG,
            INFO,
            WARN,
            ERROR
        }
    }

    record Summary(RunSummary summary) implements RunEvent {
    }

    /** The run changed the schema; sent before the rows that need the change are loaded. */
    record SchemaChanged(SchemaChange change) implements RunEvent {
    }
}
