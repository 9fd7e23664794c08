package io.sluice.load;

import io.sluice.pipeline.PipelineState;
import io.sluice.schema.Schema;
import java.util.Objects;

/** What a run starts from: the pipeline's latest schema and state in its dataset, read together. */
public record StoredPipeline(Schema schema, PipelineState state) {
    public StoredPipeline {
        Objects.requireNonNull(schema, "schema is null");
        Objects.requireNonNull(state, "state is null");
    }

    /** What a pipeline starts from before its first load. */
    static StoredPipeline empty(String pipeline) {
        return new StoredPipeline(Schema.empty(pipeline), PipelineState.EMPTY);
    }
}
