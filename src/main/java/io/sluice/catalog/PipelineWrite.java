package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import io.sluice.pipeline.PipelineSpec;
import java.util.Optional;

/** What a create or update of a pipeline did: stored it, or, asked only to check, validated what it would store. */
public sealed interface PipelineWrite {
    /** The pipeline as stored now. */
    record Stored(PipelineRecord pipeline) implements PipelineWrite {
        public Stored {
            requireNonNull(pipeline, "pipeline is null");
        }
    }

    /** Nothing was stored: {@code spec} is what would have been, over {@code current}, the pipeline stored now if any. */
    record Validated(PipelineSpec spec, Optional<PipelineRecord> current) implements PipelineWrite {
        public Validated {
            requireNonNull(spec, "spec is null");
            requireNonNull(current, "current is null");
        }
    }
}
