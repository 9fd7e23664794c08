package io.sluice.load;

import static java.util.Objects.requireNonNull;

import io.sluice.pipeline.PipelineState;
import io.sluice.schema.Schema;
import io.sluice.schema.TableFile;
import java.util.List;
import java.util.Optional;

/**
 * What a run seals into its package: the files normalize staged in it, and what the load does with them (see
 * {@link LoadPackage}, which is what the sealed package becomes).
 */
public record PackageContents(String dataset, List<TableFile> stagedFiles, Optional<Schema> newSchema,
                              List<LoadPackage.ReplacedTable> replacedTables, List<LoadPackage.MergedTable> mergedTables,
                              List<String> droppedTables, Optional<PipelineState> newState) {
    public PackageContents {
        requireNonNull(dataset, "dataset is null");
        stagedFiles = List.copyOf(stagedFiles);
        requireNonNull(newSchema, "newSchema is null");
        replacedTables = List.copyOf(replacedTables);
        mergedTables = List.copyOf(mergedTables);
        droppedTables = List.copyOf(droppedTables);
        requireNonNull(newState, "newState is null");
    }
}
