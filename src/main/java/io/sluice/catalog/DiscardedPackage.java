package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A load package an operator threw away uncommitted: which pipeline and load id, the run that sealed it ("" when
 * unknown), the rows it held per table, who discarded it, why, and when.
 */
public record DiscardedPackage(String pipeline, String loadId, String sealedByRun, long rows, List<RunSummary.TableRows> tables,
                               String discardedBy, String reason, Instant discardTime) {
    public DiscardedPackage {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(loadId, "loadId is null");
        requireNonNull(sealedByRun, "sealedByRun is null");
        tables = List.copyOf(tables);
        requireNonNull(discardedBy, "discardedBy is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(discardTime, "discardTime is null");
    }
}
