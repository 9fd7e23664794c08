package io.sluice.load;

import static java.util.Objects.requireNonNull;

import io.sluice.pipeline.PipelineState;
import io.sluice.schema.Schema;
import java.util.List;
import java.util.Optional;

/**
 * What a package's commit does besides moving its rows in: the schema it stores when the run changed it (numbered as
 * the stored version it was evolved from: the commit merges it onto the schema stored then and numbers the version it
 * stores), the tables whose rows it replaces (write disposition REPLACE, or a refresh that empties them) and those it
 * merges into (MERGE), the tables a refresh drops, and the pipeline state it stores when the run changed it.
 */
public record CommitPlan(Optional<Schema> newSchema, List<LoadPackage.ReplacedTable> replacedTables,
                         List<LoadPackage.MergedTable> mergedTables, List<String> droppedTables, Optional<PipelineState> newState) {
    public CommitPlan {
        requireNonNull(newSchema, "newSchema is null");
        replacedTables = List.copyOf(replacedTables);
        mergedTables = List.copyOf(mergedTables);
        droppedTables = List.copyOf(droppedTables);
        requireNonNull(newState, "newState is null");
    }
}
