package io.sluice.schema;

/** What a load does with the rows a table already has. */
public enum WriteDisposition {
    /** Keep them; add the new rows. */
    APPEND,
    /**
     * Drop them (and those of the table's nested tables) in the load's transaction, by the table's
     * {@link ReplaceStrategy}; the new rows take their place.
     */
    REPLACE,
    /** Rows of this load meet the stored rows by key, as the table's {@link MergeStrategy} says. */
    MERGE
}
