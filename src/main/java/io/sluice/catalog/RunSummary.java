package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/** What a finished run did: rows per table, time per stage, and what it cost. */
public record RunSummary(
        List<TableRows> tables,
        List<StageTime> stages,
        long rows,
        long bytes,
        Duration elapsed,
        String loadId,
        long peakHeapBytes) {
    public RunSummary {
        tables = List.copyOf(tables);
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
}
