package io.sluice.load;

import io.sluice.schema.MergeStrategy;
import java.sql.SQLException;

/**
 * The SQL of one merge strategy. It runs in the commit's transaction after this load's rows were inserted (before, when
 * it {@link #readsIncomingRows reads nothing of them}), marked by their {@code _sluice_load_id}: the root table's where
 * {@link MergeRows#incoming} says, the nested tables' into those tables. It leaves the root table's stored rows and the
 * load's incoming rows, nested tables included, as the strategy says; {@link MergeRows#keepIncoming} then moves in the
 * incoming rows that are left, when they were apart.
 */
sealed interface TableMerge permits DeleteInsertMerge, UpsertMerge, Scd2Merge {
    void apply(MergeRows rows) throws SQLException;

    /**
     * Whether {@link #apply} reads this load's rows of the root table, not only what their files show of them. Where it
     * does not, the commit applies it before the rows go in, and they go straight into the table, never apart
     * ({@link SqlDestination#apartTable}). Upserts and SCD2 pair the load's rows with the stored ones row by row.
     */
    default boolean readsIncomingRows(MergeRows rows) throws SQLException {
        return true;
    }

    static TableMerge of(MergeStrategy strategy) {
        return switch (strategy) {
            case MergeStrategy.DeleteInsert ignored -> new DeleteInsertMerge();
            case MergeStrategy.Upsert ignored -> new UpsertMerge();
            case MergeStrategy.Scd2 scd2 -> new Scd2Merge(scd2);
        };
    }
}
