package io.sluice.load;

import io.sluice.schema.MergeStrategy;
import java.sql.SQLException;

/**
 * The SQL of one merge strategy. It runs in the commit's transaction after this load's rows were inserted, marked by
 * their {@code _sluice_load_id}: the root table's where {@link MergeRows#incoming} says, the nested tables' into those
 * tables. It leaves the root table's stored rows and the load's incoming rows, nested tables included, as the
 * strategy says; {@link MergeRows#keepIncoming} then moves in the incoming rows that are left, when they were apart.
 */
sealed interface TableMerge permits DeleteInsertMerge, UpsertMerge, Scd2Merge {
    void apply(MergeRows rows) throws SQLException;

    /**
     * Whether {@link #apply} reads this load's rows of the root table, not only what their files show of them: where it
     * does not, a destination that merges apart ({@link SqlDestination#apartTable}) moves them straight into the table.
     */
    boolean readsIncomingRows(MergeRows rows) throws SQLException;

    static TableMerge of(MergeStrategy strategy) {
        return switch (strategy) {
            case MergeStrategy.DeleteInsert ignored -> new DeleteInsertMerge();
            case MergeStrategy.Upsert ignored -> new UpsertMerge();
            case MergeStrategy.Scd2 scd2 -> new Scd2Merge(scd2);
        };
    }
}
