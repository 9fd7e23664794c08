package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What a run drops or empties before it loads (dlt's refresh modes), and for which resources: empty means all. */
public record Refresh(Mode mode, List<String> resources) {
    public Refresh {
        requireNonNull(mode, "mode is null");
        resources = List.copyOf(resources);
    }

    public enum Mode {
        /** Every table of the pipeline and all its state go; the run loads as if it were the first. */
        DROP_SOURCES,
        /** The resources' tables and state go; their schema starts anew. */
        DROP_RESOURCES,
        /** The resources' tables are emptied and their state reset; the schema stays. */
        DROP_DATA
    }
}
