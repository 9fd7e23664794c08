package io.sluice.schema;

/**
 * How a REPLACE load takes the place of a table's rows. Every strategy commits in the load's one transaction, so
 * readers see the old rows or the new ones, never an empty or half-filled table; they differ in cost and in what
 * readers wait for.
 */
public enum ReplaceStrategy {
    /** Truncates the table in the commit: cheap, but PostgreSQL readers wait for the commit (an exclusive lock). */
    TRUNCATE_AND_INSERT,
    /** Deletes the rows in the commit: readers are never blocked and see the old rows until it commits. */
    INSERT_FROM_STAGING,
    /**
     * Drops the table and creates it anew in the commit: no deleted rows to clean up afterwards, but anything
     * attached to the table by hand (grants, views, indexes) goes with it.
     */
    STAGING_OPTIMIZED
}
