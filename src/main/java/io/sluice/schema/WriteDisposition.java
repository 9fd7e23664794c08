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
    /**
     * Delete-insert by primary key: rows of this load replace the stored rows with the same key (their nested rows
     * with them); within a load, one row per key is kept.
     */
    MERGE
}
