package io.sluice.catalog;

import java.util.List;
import java.util.Optional;

/** Where runs are kept, with the process that executes each and the request ids their triggers named. */
public interface RunStore {
    /**
     * Stores a new run, executed by the process {@code owner}. A run whose request id (when not empty) its pipeline
     * already used is not stored: the catalog keeps request ids unique per pipeline, and the run stored first is
     * returned instead, also to a trigger that lost a race with it.
     *
     * @return {@code run}, or the earlier run with its request id
     */
    default Run insertRun(Run run, String owner) {
        return insertRun(run, owner, List.of());
    }

    /**
     * Stores a new run as {@link #insertRun(Run, String)} does, with its first events in the same transaction: a run
     * that starts as it is stored comes with the state change that says so, in one commit instead of two. When the
     * earlier run with its request id is returned, the events are not stored.
     */
    Run insertRun(Run run, String owner, List<StoredEvent> events);

    /** Writes the run's state, times, error, attempt and summary; its owner and {@code resumedBy} stay as they are. */
    void updateRun(Run run);

    /**
     * Writes the changed run as {@link #updateRun} does, when there is one, and appends the run's events and log lines —
     * all in one transaction, so in one commit: all of it is stored, or none.
     */
    void storeRunChanges(Optional<Run> changed, List<StoredEvent> events, List<StoredLogLine> logLines);

    /**
     * Stores {@code reopened}, an ended run going on with another attempt, as executed by {@code owner} — only while the
     * stored run is still {@code from}, so that of two processes or calls reopening it, one does.
     *
     * @return whether this call reopened it
     */
    boolean reopenRun(Run reopened, RunState from, String owner);

    /** Records that run {@code resumedBy} committed the load package run {@code runId} sealed; false when no such run. */
    boolean markResumed(String runId, String resumedBy);

    Optional<Run> run(String id);

    Optional<Run> runByRequestId(String pipeline, String requestId);

    /** Runs newest first. */
    Page<Run> runs(RunFilter filter, int pageSize, String pageToken);

    /** Runs in a non-terminal state, oldest first, with their owners: live ones, and those a process that died left. */
    List<OwnedRun> unfinishedRuns();
}
