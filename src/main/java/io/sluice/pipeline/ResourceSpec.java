package io.sluice.pipeline;

import io.sluice.schema.TableHints;

/** One stream of items of a source, loaded into one table. */
public interface ResourceSpec {
    String name();

    /** The destination table, already in the naming convention. */
    String tableName();

    TableHints hints();
}
