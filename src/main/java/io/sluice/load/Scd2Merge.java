package io.sluice.load;

import static io.sluice.load.CommitTables.quote;
import static io.sluice.load.MergeRows.ID;

import io.sluice.load.MergeRows.Rows;
import io.sluice.schema.MergeStrategy;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Slowly changing dimension type 2. A version is told apart by its version column (the row hash, or the column the
 * spec names) together with the primary key when there is one. At the boundary: active stored versions that this
 * load does not bring again are retired (their valid-to set), only those whose merge key the load brings when there
 * is a merge key (an incremental load says nothing of the other keys); versions the load brings again are left as
 * they are, its copy dropped; the rest of the load's rows become active versions. Nested rows stay with the version
 * they were loaded with: those of retired versions are kept, those of the load's dropped copies go. A row that
 * deletes its record retires the active version with its primary key (or, without one, its merge key).
 */
final class Scd2Merge implements TableMerge {
    private final MergeStrategy.Scd2 scd2;

    Scd2Merge(MergeStrategy.Scd2 scd2) {
        this.scd2 = scd2;
    }

    @Override
    public void apply(MergeRows rows) throws SQLException {
        LoadPackage.MergedTable merged = rows.merged();
        CommitTables tables = rows.tables();
        String boundary = CommitTables.timestamp(scd2.boundary().orElseThrow(() ->
                new IllegalStateException("the SCD2 boundary of " + merged.table() + " is fixed when its package is sealed")));
        String validTo = quote(scd2.validTo());
        String activeValidTo = scd2.activeValidTo().map(CommitTables::timestamp).orElse("NULL");
        String active = scd2.activeValidTo().map(instant -> validTo + " = " + activeValidTo).orElse(validTo + " IS NULL");
        String retire = "UPDATE " + rows.root() + " AS stored SET " + validTo + " = " + boundary + " WHERE "
                + rows.stored(Rows.named("stored")) + " AND stored." + active;
        if (!tables.columns(merged.table()).containsKey(scd2.versionColumn())) {
            throw new SQLException("table " + merged.table() + " has no row version column '" + scd2.versionColumn()
                    + "': no row had a value for it");
        }
        List<String> version = new ArrayList<>(merged.primaryKey());
        version.add(scd2.versionColumn());

        rows.keepOnePer(merged.primaryKey().isEmpty() ? List.of(scd2.versionColumn()) : merged.primaryKey());
        Optional<String> hardDeleted = rows.hardDeleted();
        if (hardDeleted.isPresent()) {
            List<String> record = merged.primaryKey().isEmpty() ? merged.mergeKey() : merged.primaryKey();
            tables.execute(retire + " AND " + rows.amongThisLoad(record, hardDeleted.get()));
            rows.dropIncoming(hardDeleted.get());
        }
        tables.execute(retire + " AND NOT EXISTS (SELECT 1 FROM " + rows.incoming() + " incoming WHERE "
                + rows.ofThisLoad(Rows.named("incoming")) + " AND " + MergeRows.sameValues(version, "incoming", "stored") + ")"
                + (merged.mergeKey().isEmpty() ? "" : " AND " + rows.amongThisLoad(merged.mergeKey(), "")));
        tables.execute("DELETE FROM " + rows.incoming() + " WHERE " + ID + " IN (SELECT incoming." + ID + " FROM " + rows.incoming()
                + " incoming JOIN " + rows.root() + " stored ON " + MergeRows.sameValues(version, "incoming", "stored")
                + " WHERE " + rows.ofThisLoad(Rows.named("incoming")) + " AND " + rows.stored(Rows.named("stored")) + " AND stored."
                + active + ")");
        tables.execute("UPDATE " + rows.incoming() + " SET " + quote(scd2.validFrom()) + " = " + boundary + ", " + validTo + " = "
                + activeValidTo + " WHERE " + rows.ofThisLoad(Rows.UNNAMED));
    }
}
