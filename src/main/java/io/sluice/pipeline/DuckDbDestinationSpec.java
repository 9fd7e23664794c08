package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import io.sluice.schema.DataType;
import io.sluice.schema.ReplaceStrategy;
import io.sluice.schema.WriteDisposition;
import java.util.EnumSet;
import java.util.Optional;

/** A DuckDB database file; a relative path is resolved against the service's data directory. */
public record DuckDbDestinationSpec(String path) implements DestinationSpec {
    /**
     * Everything Sluice loads. DuckDB takes names of any length, but declares PostgreSQL's 63 bytes: names shortened
     * alike keep a dataset the same when it moves between the two, and keep the names earlier loads gave.
     */
    public static final DestinationCapabilities CAPABILITIES = new DestinationCapabilities("DuckDB",
            EnumSet.allOf(WriteDisposition.class), EnumSet.allOf(DestinationCapabilities.MergeKind.class),
            EnumSet.allOf(ReplaceStrategy.class), EnumSet.allOf(DataType.class), 38, 63,
            DestinationCapabilities.Staging.IN_PLACE, true, true, Optional.empty());

    public DuckDbDestinationSpec {
        requireNonNull(path, "path is null");
    }

    @Override
    public DestinationCapabilities capabilities() {
        return CAPABILITIES;
    }
}
