package io.sluice.load;

import static io.sluice.load.CommitTables.quote;
import static io.sluice.load.MergeRows.ID;
import static io.sluice.load.MergeRows.PARENT_ID;
import static io.sluice.load.MergeRows.ROOT_ID;

import io.sluice.load.MergeRows.Rows;
import io.sluice.schema.SystemColumns;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Upsert by primary key: a stored row whose key this load brings is updated in place, every column from the load's
 * row (a column the row lacks becomes NULL), and keeps its {@code _sluice_id}, so a record has one id for its whole
 * life; rows with a new key are inserted. The updated row's nested rows are replaced by the load's, which are
 * pointed at the id it kept ({@code _sluice_root_id}, and {@code _sluice_parent_id} of the first level); deeper
 * rows keep pointing at their parents, whose ids the load made. A row that deletes its record deletes the stored
 * row with its key. Neither MERGE nor INSERT … ON CONFLICT: the commit has inserted the load's rows already (into
 * the table, or apart: {@link MergeRows#incoming}), so an UPDATE … FROM joins them to the stored rows by key. That
 * needs no unique index on the key, which a table loaded before its key was declared may not satisfy, which ON
 * CONFLICT needs in PostgreSQL, and which DuckDB checks over-eagerly (an update of an indexed row is a delete and an
 * insert there); and it is the same SQL in both.
 */
final class UpsertMerge implements TableMerge {
    /** Pairs each of this load's rows that updates a stored row with that row's id, for the length of the merge. */
    private static final String UPSERTED = quote("_sluice_upserted");
    private static final String STORED_ID = quote("_sluice_stored_id");

    @Override
    public void apply(MergeRows rows) throws SQLException {
        LoadPackage.MergedTable merged = rows.merged();
        CommitTables tables = rows.tables();
        List<String> key = merged.primaryKey();
        rows.keepOnePer(key);
        Optional<String> hardDeleted = rows.hardDeleted();
        if (hardDeleted.isPresent()) {
            rows.deleteStoredOf(key, hardDeleted.get());
            rows.dropIncoming(hardDeleted.get());
        }
        // A table that took rows another way before may hold several rows of one key: the oldest stays the record.
        rows.deleteStored(ID + " IN (SELECT " + ID + " FROM (SELECT " + ID + ", row_number() OVER (PARTITION BY " + MergeRows.list(key)
                + " ORDER BY " + ID + ") AS _sluice_rank FROM " + rows.root() + " WHERE " + rows.stored(Rows.UNNAMED) + " AND "
                + rows.amongThisLoad(key, "") + ") ranked WHERE _sluice_rank > 1)");
        tables.execute("CREATE TEMPORARY TABLE " + UPSERTED + " AS SELECT stored." + ID + " AS " + STORED_ID + ", incoming.* FROM "
                + rows.incoming() + " incoming JOIN " + rows.root() + " stored ON " + MergeRows.sameValues(key, "incoming", "stored")
                + " WHERE " + rows.ofThisLoad(Rows.named("incoming")) + " AND " + rows.stored(Rows.named("stored")));
        for (String nested : rows.existingNestedTables()) {
            tables.execute("DELETE FROM " + tables.name(nested) + " WHERE " + ROOT_ID + " IN (SELECT " + STORED_ID + " FROM " + UPSERTED + ")");
            tables.execute("UPDATE " + tables.name(nested) + " AS nested SET " + PARENT_ID + " = CASE WHEN nested." + PARENT_ID
                    + " = upserted." + ID + " THEN upserted." + STORED_ID + " ELSE nested." + PARENT_ID + " END, " + ROOT_ID
                    + " = upserted." + STORED_ID + " FROM " + UPSERTED + " upserted WHERE nested." + ROOT_ID + " = upserted." + ID);
        }
        String assignments = tables.columns(merged.table()).keySet().stream()
                .filter(column -> !column.equals(SystemColumns.ID))
                .map(column -> quote(column) + " = upserted." + quote(column))
                .collect(Collectors.joining(", "));
        tables.execute("UPDATE " + rows.root() + " AS target SET " + assignments + " FROM " + UPSERTED + " upserted WHERE target." + ID
                + " = upserted." + STORED_ID);
        tables.execute("DELETE FROM " + rows.incoming() + " WHERE " + ID + " IN (SELECT " + ID + " FROM " + UPSERTED + ")");
        tables.execute("DROP TABLE " + UPSERTED);
    }
}
