package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * What a finished run did: rows per table, time per stage, and what it cost; {@code rows} and {@code tables} count its
 * own load, {@code resumedLoads} the earlier runs' packages it committed first.
 */
public record RunSummary(
        List<TableRows> tables,
        List<StageTime> stages,
        long rows,
        long bytes,
        Duration elapsed,
        String loadId,
        long peakHeapBytes,
        List<ResumedLoad> resumedLoads) {
    public RunSummary {
        tables = List.copyOf(tables);
        // A summary stored before runs reported resumed loads has none.
        resumedLoads = resumedLoads == null ? List.of() : List.copyOf(resumedLoads);
        stages = List.copyOf(stages);
        requireNonNull(elapsed, "elapsed is null");
        requireNonNull(loadId, "loadId is null");
    }

    /**
     * Rows loaded into a table, what normalizing dropped from it (each drop also named in a log event), and the items
     * an incremental window left out (counted against the resource's root table).
     */
    public record TableRows(String table, long rows, long discardedRows, long discardedValues, long rejectedRecords,
                            long filteredRecords) {
        public TableRows(String table, long rows) {
            this(table, rows, 0, 0, 0, 0);
        }
    }

    public record StageTime(Stage stage, Duration elapsed) {
    }

    /**
     * A load package an earlier run sealed but did not commit, committed by this run: its load id, the run whose rows
     * these are ("" when the package was sealed by a version that did not record it), and its rows per table.
     */
    public record ResumedLoad(String loadId, String sealedByRun, long rows, List<TableRows> tables) {
        public ResumedLoad {
            requireNonNull(loadId, "loadId is null");
            requireNonNull(sealedByRun, "sealedByRun is null");
            tables = List.copyOf(tables);
        }
    }
}
