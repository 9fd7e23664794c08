package io.sluice.load;

import static java.util.Objects.requireNonNull;

import io.sluice.pipeline.PipelineState;
import io.sluice.schema.TableFile;
import io.sluice.schema.Schema;
import java.util.List;
import java.util.Optional;

/**
 * What a run hands to the load stage: the staged files of its tables, under one load id, the new schema version
 * when the run changed the schema, the tables whose rows the load replaces (write disposition REPLACE, or a refresh
 * that empties them) and those it merges into (MERGE), the tables a refresh drops, and the new pipeline state when
 * the run changed it.
 */
public record LoadPackage(String pipeline, String dataset, String loadId, List<TableFile> files, Optional<Schema> newSchema,
                          List<String> replacedTables, List<MergedTable> mergedTables, List<String> droppedTables,
                          Optional<PipelineState> newState) {
    public LoadPackage {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(loadId, "loadId is null");
        files = List.copyOf(files);
        requireNonNull(newSchema, "newSchema is null");
        replacedTables = List.copyOf(replacedTables);
        mergedTables = List.copyOf(mergedTables);
        droppedTables = List.copyOf(droppedTables);
        requireNonNull(newState, "newState is null");
    }

    /** A table loaded by delete-insert on {@code keys}, with the nested tables whose rows follow its rows. */
    public record MergedTable(String table, List<String> keys, List<String> nestedTables) {
        public MergedTable {
            requireNonNull(table, "table is null");
            keys = List.copyOf(keys);
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("merged table " + table + " has no key");
            }
            nestedTables = List.copyOf(nestedTables);
        }
    }
}
