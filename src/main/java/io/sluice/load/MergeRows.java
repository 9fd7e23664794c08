package io.sluice.load;

import static io.sluice.load.CommitTables.quote;

import io.sluice.schema.DataType;
import io.sluice.schema.SortOrder;
import io.sluice.schema.SystemColumns;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The rows of one merged table and of its nested tables, this load's and the stored ones, and the steps every
 * merge strategy takes with them. Nested rows follow their root row through {@code _sluice_root_id}.
 */
final class MergeRows {
    static final String ID = quote(SystemColumns.ID);
    static final String ROOT_ID = quote(SystemColumns.ROOT_ID);
    static final String PARENT_ID = quote(SystemColumns.PARENT_ID);

    private final CommitTables tables;
    private final LoadPackage.MergedTable merged;

    MergeRows(CommitTables tables, LoadPackage.MergedTable merged) {
        this.tables = tables;
        this.merged = merged;
    }

    CommitTables tables() {
        return tables;
    }

    LoadPackage.MergedTable merged() {
        return merged;
    }

    /** The root table's name as a statement spells it. */
    String root() {
        return tables.name(merged.table());
    }

    /**
     * Of this load's rows with one value of {@code columns}, keeps one: the first by the dedup sort column when there
     * is one (and a load brought values for it), else (and among equals) the one with the smallest id; the others go,
     * with their nested rows.
     */
    void keepOnePer(List<String> columns) throws SQLException {
        Map<String, DataType> existing = tables.columns(merged.table());
        String order = merged.dedupSort()
                .filter(sort -> existing.containsKey(sort.column()))
                .map(sort -> quote(sort.column()) + (sort.order() == SortOrder.DESCENDING ? " DESC" : " ASC") + " NULLS LAST, ")
                .orElse("") + ID;
        tables.execute("DELETE FROM " + root() + " WHERE " + ID + " IN (SELECT " + ID + " FROM (SELECT " + ID
                + ", row_number() OVER (PARTITION BY " + list(columns) + " ORDER BY " + order + ") AS _sluice_rank FROM " + root()
                + " WHERE " + tables.ofThisLoad() + ") ranked WHERE _sluice_rank > 1)");
    }

    /**
     * The condition true for a row that deletes its record: its hard-delete column is true, or, in a column of
     * another type, not null. Empty when there is no such column, or no load brought a value for it yet.
     */
    Optional<String> hardDeleted() throws SQLException {
        if (merged.hardDelete().isEmpty()) {
            return Optional.empty();
        }
        String column = merged.hardDelete().get();
        DataType type = tables.columns(merged.table()).get(column);
        if (type == null) {
            return Optional.empty();
        }
        return Optional.of(quote(column) + (type == DataType.BOOL ? " IS TRUE" : " IS NOT NULL"));
    }

    /** {@code (columns) IN} the values this load's rows have for them, of those rows for which {@code where} holds. */
    String amongThisLoad(List<String> columns, String where) {
        return "(" + list(columns) + ") IN (SELECT " + list(columns) + " FROM " + root() + " WHERE " + tables.ofThisLoad()
                + (where.isEmpty() ? "" : " AND " + where) + ")";
    }

    /**
     * Deletes the stored rows for which {@code condition} holds, and their nested rows. The root's rows by the
     * condition itself, not by their ids: the same rows (ids are unique), without joining the table to itself by id
     * once more (at a million rows, half of what the delete took in PostgreSQL).
     */
    void deleteStored(String condition) throws SQLException {
        String where = tables.stored() + " AND (" + condition + ")";
        for (String nested : existingNestedTables()) {
            tables.execute("DELETE FROM " + tables.name(nested) + " WHERE " + ROOT_ID + " IN (SELECT " + ID + " FROM " + root()
                    + " WHERE " + where + ")");
        }
        tables.execute("DELETE FROM " + root() + " WHERE " + where);
    }

    /** Removes this load's rows for which {@code condition} holds; their nested rows go with {@link #dropOrphans}. */
    void dropIncoming(String condition) throws SQLException {
        tables.execute("DELETE FROM " + root() + " WHERE " + tables.ofThisLoad() + " AND (" + condition + ")");
    }

    /**
     * Removes this load's nested rows whose root row is not (or no longer) one of this load's rows. NOT EXISTS, not
     * NOT IN: PostgreSQL turns it into an anti-join, where NOT IN over more ids than fit its work memory is quadratic.
     */
    void dropOrphans() throws SQLException {
        for (String nested : existingNestedTables()) {
            tables.execute("DELETE FROM " + tables.name(nested) + " AS nested WHERE nested." + tables.ofThisLoad() + " AND NOT EXISTS"
                    + " (SELECT 1 FROM " + root() + " root WHERE root." + ID + " = nested." + ROOT_ID + " AND root." + tables.ofThisLoad() + ")");
        }
    }

    /** The nested tables that exist: one that never had a row was never created. */
    List<String> existingNestedTables() throws SQLException {
        List<String> existing = new ArrayList<>();
        for (String nested : merged.nestedTables()) {
            if (tables.exists(nested)) {
                existing.add(nested);
            }
        }
        return existing;
    }

    /** {@code a = b} for each column, of the rows named {@code left} and {@code right}, joined by AND. */
    static String sameValues(List<String> columns, String left, String right) {
        return columns.stream().map(column -> left + "." + quote(column) + " = " + right + "." + quote(column))
                .collect(Collectors.joining(" AND "));
    }

    static String list(List<String> columns) {
        return columns.stream().map(CommitTables::quote).collect(Collectors.joining(", "));
    }
}
