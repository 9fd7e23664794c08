package io.sluice.load;

import io.sluice.pipeline.DestinationSpec;
import io.sluice.pipeline.DuckDbDestinationSpec;
import java.nio.file.Path;

/** Opens the destination a spec declares. */
public final class Destinations {
    private Destinations() {
    }

    /** @param dataDirectory what relative destination paths resolve against */
    public static Destination open(DestinationSpec spec, Path dataDirectory) {
        return switch (spec) {
            case DuckDbDestinationSpec duckdb -> new DuckDbDestination(dataDirectory.resolve(duckdb.path()).toAbsolutePath().normalize());
        };
    }
}
