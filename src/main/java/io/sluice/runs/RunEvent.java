package io.sluice.runs;

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

    record LogLine(Level level, String message) implements RunEvent {
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
