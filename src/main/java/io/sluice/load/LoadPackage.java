package io.sluice.load;

import static java.util.Objects.requireNonNull;

import io.sluice.schema.TableFile;
import java.util.List;

/** What a run hands to the load stage: the staged files of its tables, under one load id. */
public record LoadPackage(String pipeline, String dataset, String loadId, List<TableFile> files) {
    public LoadPackage {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(loadId, "loadId is null");
        files = List.copyOf(files);
    }
}
