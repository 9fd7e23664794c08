package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

/**
 * An update of a registered pipeline as a caller asks it: which pipeline, the etag the caller read (empty to update
 * whatever is stored), whether a pipeline that does not exist is created, and whether only to check (store nothing).
 */
public record PipelineUpdate(String name, String expectedEtag, boolean allowMissing, boolean validateOnly) {
    public PipelineUpdate {
        requireNonNull(name, "name is null");
        requireNonNull(expectedEtag, "expectedEtag is null");
    }
}
