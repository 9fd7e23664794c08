package io.sluice.load;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Delete-insert: of this load's rows, one per primary key stays; stored rows whose primary key or merge key this
 * load brings are deleted (so a merge key replaces, say, a whole day); rows that delete their record are then
 * dropped from the load. With a merge key alone nothing is de-duplicated: every row of the load stays.
 */
final class DeleteInsertMerge implements TableMerge {
    @Override
    public void apply(MergeRows rows) throws SQLException {
        LoadPackage.MergedTable merged = rows.merged();
        if (!merged.primaryKey().isEmpty()) {
            rows.keepOnePer(merged.primaryKey());
        }
        for (List<String> key : List.of(merged.primaryKey(), merged.mergeKey())) {
            if (!key.isEmpty()) {
                rows.deleteStoredOf(key, "");
            }
        }
        Optional<String> hardDeleted = rows.hardDeleted();
        if (hardDeleted.isPresent()) {
            rows.dropIncoming(hardDeleted.get());
        }
    }

    /** Not when the files show each key's rows ({@link MergeRows#filesShow}) and no column marks rows that delete. */
    @Override
    public boolean readsIncomingRows(MergeRows rows) throws SQLException {
        LoadPackage.MergedTable merged = rows.merged();
        return merged.hardDelete().isPresent() || !rows.filesShow(merged.primaryKey()) || !rows.filesShow(merged.mergeKey());
    }
}
