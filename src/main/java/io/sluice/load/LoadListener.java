package io.sluice.load;

/** Hears how a load is going: its jobs, the rows of each file moving into their table, and the commit. */
public interface LoadListener {
    /** Job {@code job} of {@code loadPackage} starts loading (a job completed by an earlier attempt is not heard of). */
    void jobStarted(LoadPackage loadPackage, LoadPackages.LoadJob job);

    /** The commit's transaction has begun: the staged rows of {@code loadPackage} move into their tables next. */
    void commitStarted(LoadPackage loadPackage);

    /** The rows of one staged file of {@code table} are in their table, in the commit's transaction (not yet committed). */
    void fileLoaded(String table, long rows, long bytes);

    /** Every row of the load is in its table and the load is recorded: the transaction commits next. */
    void committing(LoadPackage loadPackage, long rows);
}
