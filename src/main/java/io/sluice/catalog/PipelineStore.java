package io.sluice.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Where registered pipelines are kept. Writes that compare an etag, or that a name is free, do so atomically. */
public interface PipelineStore {
    /** @throws AlreadyExistsException when a pipeline of that name exists */
    void insertPipeline(PipelineRecord pipeline);

    Optional<PipelineRecord> pipeline(String name);

    /** The pipelines of these names that exist, in no order: one read for many. */
    List<PipelineRecord> pipelines(Collection<String> names);

    /** Pipelines by name, after {@code pageToken}. */
    Page<PipelineRecord> pipelines(int pageSize, String pageToken);

    /** Replaces the pipeline if its stored etag is {@code expectedEtag}; false when it is not (or it is gone). */
    boolean replacePipeline(PipelineRecord pipeline, String expectedEtag);

    /** Deletes the pipeline; false when there was none. */
    boolean deletePipeline(String name);
}
