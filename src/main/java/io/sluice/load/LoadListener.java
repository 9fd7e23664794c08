package io.sluice.load;

/**
 * Hears how a load is going: its jobs, the rows of each file moving into their table, and the commit. Only the rows
 * are owed an answer; a listener that has no use for the milestones leaves them as they are.
 */
public interface LoadListener {
    /**
     * Job {@code job} of {@code loadPackage} starts loading (a job completed by an earlier attempt is not heard of,
     * unless the destination loads every job inside its commit).
     */
    default void jobStarted(LoadPackage loadPackage, LoadPackages.LoadJob job) {
    }

    /**
     * Job {@code job}'s rows are in their table, in the commit's transaction (not yet committed): heard only from a
     * destination that loads its jobs inside the commit.
     */
    default void jobCompleted(LoadPackage loadPackage, LoadPackages.LoadJob job) {
    }

    /** The commit's transaction has begun: the staged rows of {@code loadPackage} move into their tables next. */
    default void commitStarted(LoadPackage loadPackage) {
    }

    /** The rows of one staged file of {@code table} are in their table, in the commit's transaction (not yet committed). */
    void fileLoaded(String table, long rows, long bytes);

    /** Every row of the load is in its table and the load is recorded: the transaction commits next. */
    default void committing(LoadPackage loadPackage, long rows) {
    }
}
