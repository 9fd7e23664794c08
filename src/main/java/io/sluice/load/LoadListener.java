package io.sluice.load;

/** Hears how a load is going. */
public interface LoadListener {
    /** The rows of one staged file of {@code table} are in their table, in the commit's transaction (not yet committed). */
    void fileLoaded(String table, long rows, long bytes);
}
