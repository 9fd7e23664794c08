package io.sluice.schema;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How a resource's items become tables and are loaded: write disposition, keys, declared columns, nesting, contract,
 * detections, how REPLACE replaces and how a MERGE meets the stored rows.
 */
public record TableHints(WriteDisposition writeDisposition, List<String> primaryKey, List<String> mergeKey,
                         List<ColumnHint> columns, int maxNestingDepth, SchemaContract contract, Set<Detection> detections,
                         ReplaceStrategy replaceStrategy, MergeStrategy mergeStrategy) {
    public static final int DEFAULT_NESTING_DEPTH = 1000;
    public static final TableHints DEFAULT = new TableHints(WriteDisposition.APPEND, List.of(), List.of(), List.of(), DEFAULT_NESTING_DEPTH,
            SchemaContract.EVOLVE, EnumSet.of(Detection.ISO_TIMESTAMP), ReplaceStrategy.TRUNCATE_AND_INSERT, new MergeStrategy.DeleteInsert());

    public TableHints {
        requireNonNull(writeDisposition, "writeDisposition is null");
        primaryKey = List.copyOf(primaryKey);
        mergeKey = List.copyOf(mergeKey);
        columns = List.copyOf(columns);
        requireNonNull(contract, "contract is null");
        detections = detections.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(detections));
        requireNonNull(replaceStrategy, "replaceStrategy is null");
        requireNonNull(mergeStrategy, "mergeStrategy is null");
    }
}
