package io.sluice.runs;

import io.sluice.catalog.RunSummary;
import io.sluice.load.OwnedPackage;
import java.time.Duration;
import java.util.List;

/**
 * What the attempt that sealed a run's package hands to the attempts that load it: the package, its rows per table,
 * the bytes read, how long extract and normalize took, and whether it brings a new pipeline state.
 */
record SealedPackage(OwnedPackage owned, List<RunSummary.TableRows> tableRows, long bytes, Duration extract, Duration normalize,
                     boolean newState) {
    SealedPackage {
        tableRows = List.copyOf(tableRows);
    }
}
