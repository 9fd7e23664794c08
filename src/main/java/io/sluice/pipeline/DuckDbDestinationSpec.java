package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

/** A DuckDB database file; a relative path is resolved against the service's data directory. */
public record DuckDbDestinationSpec(String path) implements DestinationSpec {
    public DuckDbDestinationSpec {
        requireNonNull(path, "path is null");
    }
}
