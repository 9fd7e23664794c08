package io.sluice.load;

import io.sluice.pipeline.ResourceSpec;
import io.sluice.schema.Column;
import io.sluice.schema.MergeStrategy;
import io.sluice.schema.Schema;
import io.sluice.schema.SortOrder;
import io.sluice.schema.TableSchema;
import io.sluice.schema.WriteDisposition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Which tables a load merges into, and how, as its package records them. */
public final class MergedTables {
    private MergedTables() {
    }

    /**
     * The root table of each resource that merges, with its nested tables, its strategy and the columns the schema
     * marks as its keys, dedup-sort and hard-delete columns. A resource whose table has no rows yet merges nothing.
     *
     * @param loadTime where SCD2 retires and adds versions when the spec fixes no boundary
     */
    public static List<LoadPackage.MergedTable> of(List<? extends ResourceSpec> resources, Schema schema, Instant loadTime) {
        List<LoadPackage.MergedTable> merged = new ArrayList<>();
        for (ResourceSpec resource : resources) {
            if (resource.hints().writeDisposition() != WriteDisposition.MERGE) {
                continue;
            }
            schema.table(resource.tableName()).ifPresent(root -> merged.add(new LoadPackage.MergedTable(root.name(),
                    schema.tables().stream()
                            .filter(table -> table.resource().equals(resource.name()) && table.parent().isPresent())
                            .map(TableSchema::name)
                            .toList(),
                    switch (resource.hints().mergeStrategy()) {
                        case MergeStrategy.Scd2 scd2 -> scd2.boundedAt(loadTime);
                        case MergeStrategy.DeleteInsert deleteInsert -> deleteInsert;
                        case MergeStrategy.Upsert upsert -> upsert;
                    },
                    marked(root, Column.Hint.PRIMARY_KEY),
                    marked(root, Column.Hint.MERGE_KEY),
                    marked(root, Column.Hint.DEDUP_SORT_ASCENDING).stream().findFirst()
                            .map(column -> new LoadPackage.DedupSort(column, SortOrder.ASCENDING))
                            .or(() -> marked(root, Column.Hint.DEDUP_SORT_DESCENDING).stream().findFirst()
                                    .map(column -> new LoadPackage.DedupSort(column, SortOrder.DESCENDING))),
                    marked(root, Column.Hint.HARD_DELETE).stream().findFirst())));
        }
        return merged;
    }

    private static List<String> marked(TableSchema table, Column.Hint hint) {
        return table.columns().stream().filter(column -> column.has(hint)).map(Column::name).toList();
    }
}
