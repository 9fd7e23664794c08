package io.sluice.load;

/** Hears how a load is going. */
public interface LoadListener {
    /** One staged file of {@code table} is in the destination (not yet committed). */
    void fileLoaded(String table, long rows, long bytes);
}
