package io.sluice.pipeline;

import io.sluice.proto.v1.Pipeline;
import java.nio.file.Path;
import java.util.List;

/** The one door specs enter through: a pipeline file, a {@link Pipeline} message or stored JSON, to a validated {@link PipelineSpec}. */
public final class PipelineSpecs {
    private PipelineSpecs() {
    }

    /** Every problem of the spec; empty when it can run. */
    public static List<Problem> problems(Pipeline pipeline) {
        return PipelineSpecMapper.problems(pipeline);
    }

    /**
     * @param origin where the spec came from (a file name, or empty), for error messages
     * @throws InvalidSpecException listing every problem
     */
    public static PipelineSpec toSpec(Pipeline pipeline, String origin) {
        return PipelineSpecMapper.toSpec(pipeline, origin);
    }

    /** Reads, validates and maps a pipeline file. */
    public static PipelineSpec read(Path file) {
        return toSpec(SpecReader.read(file), file.toString());
    }

    /**
     * Reads stored canonical JSON back. It was valid when stored, but perhaps by an older version of Sluice.
     *
     * @throws InvalidSpecException listing every problem
     */
    public static PipelineSpec fromJson(String json) {
        return toSpec(SpecReader.parse(json, "stored spec"), "stored spec");
    }

    /** The spec without the fields the server owns (etag, times), as it is stored. */
    public static Pipeline withoutOutputFields(Pipeline pipeline) {
        return pipeline.toBuilder().clearEtag().clearCreateTime().clearUpdateTime().clearPendingPackages().clearDiscardedPackages()
                .clearNextRunTimes()
                .build();
    }
}
