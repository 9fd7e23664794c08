package io.sluice.pipeline;

import io.sluice.schema.TableHints;
import java.util.Optional;

/** One stream of items of a source, loaded into one table. */
public interface ResourceSpec {
    String name();

    /** The destination table, already in the naming convention. */
    String tableName();

    TableHints hints();

    /** How the resource loads incrementally; empty: every item, every run. */
    Optional<IncrementalSpec> incremental();
}
