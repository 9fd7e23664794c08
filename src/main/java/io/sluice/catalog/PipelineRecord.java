package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A registered pipeline: its spec as canonical JSON, and the fields the server owns. */
public record PipelineRecord(String name, String specJson, String etag, Instant createTime, Instant updateTime) {
    public PipelineRecord {
        requireNonNull(name, "name is null");
        requireNonNull(specJson, "specJson is null");
        requireNonNull(etag, "etag is null");
        requireNonNull(createTime, "createTime is null");
        requireNonNull(updateTime, "updateTime is null");
    }
}
