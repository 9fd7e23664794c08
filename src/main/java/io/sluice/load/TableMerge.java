package io.sluice.load;

import io.sluice.schema.MergeStrategy;
import java.sql.SQLException;

/**
 * The SQL of one merge strategy. It runs in the commit's transaction after this load's rows were inserted into
 * their tables like any others (marked by their {@code _sluice_load_id}), and leaves each table as the strategy
 * says, nested tables included.
 */
sealed interface TableMerge permits DeleteInsertMerge, UpsertMerge, Scd2Merge {
    void apply(MergeRows rows) throws SQLException;

    static TableMerge of(MergeStrategy strategy) {
        return switch (strategy) {
            case MergeStrategy.DeleteInsert ignored -> new DeleteInsertMerge();
            case MergeStrategy.Upsert ignored -> new UpsertMerge();
            case MergeStrategy.Scd2 scd2 -> new Scd2Merge(scd2);
        };
    }
}
