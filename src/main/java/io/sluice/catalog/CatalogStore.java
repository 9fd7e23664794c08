package io.sluice.catalog;

import java.util.List;
import java.util.Optional;

/**
 * Where pipelines, runs and run events are kept. Implementations must be safe for concurrent use; writes that
 * compare an etag do so atomically.
 */
public interface CatalogStore {
    /** @throws AlreadyExistsException when a pipeline of that name exists */
    void insertPipeline(PipelineRecord pipeline);

    Optional<PipelineRecord> pipeline(String name);

    /** Pipelines by name, after {@code pageToken}. */
    Page<PipelineRecord> pipelines(int pageSize, String pageToken);

    /** Replaces the pipeline if its stored etag is {@code expectedEtag}; false when it is not (or it is gone). */
    boolean replacePipeline(PipelineRecord pipeline, String expectedEtag);

    /** Deletes the pipeline; false when there was none. */
    boolean deletePipeline(String name);

    /**
     * Stores a new run, executed by the process {@code owner}. A run whose request id (when not empty) its pipeline
     * already used is not stored: the catalog keeps request ids unique per pipeline, and the run stored first is
     * returned instead, also to a trigger that lost a race with it.
     *
     * @return {@code run}, or the earlier run with its request id
     */
    Run insertRun(Run run, String owner);

    /** Writes the run's state, times, error, attempt and summary; its owner and {@code resumedBy} stay as they are. */
    void updateRun(Run run);

    /** Records that run {@code resumedBy} committed the load package run {@code runId} sealed; false when no such run. */
    boolean markResumed(String runId, String resumedBy);

    Optional<Run> run(String id);

    Optional<Run> runByRequestId(String pipeline, String requestId);

    /** Runs newest first. */
    Page<Run> runs(RunFilter filter, int pageSize, String pageToken);

    /** Runs in a non-terminal state, oldest first, with their owners: live ones, and those a process that died left. */
    List<OwnedRun> unfinishedRuns();

    void insertDiscardedPackage(DiscardedPackage discarded);

    /** The pipeline's discarded load packages, latest first. */
    List<DiscardedPackage> discardedPackages(String pipeline);

    void appendEvent(StoredEvent event);

    /** A run's stored events in order. */
    List<StoredEvent> events(String runId);
}
