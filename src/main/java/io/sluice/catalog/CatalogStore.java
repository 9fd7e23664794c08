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

    void insertRun(Run run);

    void updateRun(Run run);

    Optional<Run> run(String id);

    Optional<Run> runByRequestId(String pipeline, String requestId);

    /** Runs newest first. */
    Page<Run> runs(RunFilter filter, int pageSize, String pageToken);

    /** Runs left in a non-terminal state, e.g. by a process that died. */
    List<Run> unfinishedRuns();

    void appendEvent(StoredEvent event);

    /** A run's stored events in order. */
    List<StoredEvent> events(String runId);
}
