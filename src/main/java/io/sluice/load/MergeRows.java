package io.sluice.load;

import static io.sluice.load.CommitTables.quote;

import io.sluice.schema.AscendingIntegers;
import io.sluice.schema.DataType;
import io.sluice.schema.SortOrder;
import io.sluice.schema.SystemColumns;
import io.sluice.schema.TableFile;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The rows of one merged table and of its nested tables, this load's and the stored ones, and the steps every
 * merge strategy takes with them. This load's root rows wait where the destination puts them ({@link #incoming}):
 * in the root table among the stored rows, told apart by their load id; or apart, in a table of their own
 * ({@link SqlDestination#apartTable}), until {@link #keepIncoming} moves those the merge kept into the root table. Apart, each step reads only the rows it
 * is about, never the whole table filtered by load id: at a million stored and a million incoming rows, a PostgreSQL
 * merge's statements took a quarter less time. DuckDB scans a column filtered by load id cheaply, and a second write
 * of every row costs it more than it saves. Nested rows go straight to their tables and follow their root row through
 * {@code _sluice_root_id}.
 */
final class MergeRows {
    static final String ID = quote(SystemColumns.ID);
    static final String ROOT_ID = quote(SystemColumns.ROOT_ID);
    static final String PARENT_ID = quote(SystemColumns.PARENT_ID);

    private final CommitTables tables;
    private final LoadPackage.MergedTable merged;
    private final List<TableFile> files;
    private final Optional<String> apart;

    /**
     * @param files the staged files of this load's rows of the root table
     * @param apart the table apart that holds this load's rows of the root table, with its columns; empty when
     *              they are in the root table
     */
    MergeRows(CommitTables tables, LoadPackage.MergedTable merged, List<TableFile> files, Optional<String> apart) {
        this.tables = tables;
        this.merged = merged;
        this.files = List.copyOf(files);
        this.apart = apart;
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

    /** The table that holds this load's rows of the root table until {@link #keepIncoming}. */
    String incoming() {
        return apart.orElse(root());
    }

    /** A condition true for this load's rows among those of {@link #incoming}, as {@code rows} names them. */
    String ofThisLoad(Rows rows) {
        return apart.isPresent() ? "TRUE" : rows.prefix() + tables.ofThisLoad();
    }

    /** A condition true for the stored rows among those of {@link #root}, as {@code rows} names them. */
    String stored(Rows rows) {
        return apart.isPresent() ? "TRUE" : rows.prefix() + tables.stored();
    }

    /** How a statement names the rows a condition is about: by their table's name, or by an alias. */
    record Rows(String prefix) {
        static final Rows UNNAMED = new Rows("");

        static Rows named(String alias) {
            return new Rows(alias + ".");
        }
    }

    /**
     * Of this load's rows with one value of {@code columns}, keeps one: the first by the dedup sort column when there
     * is one (and a load brought values for it), else (and among equals) the one with the smallest id; the others go,
     * with their nested rows. A load whose rows all have different values has nothing to remove, and counting them
     * tells it at a third of the ranking's cost (at a million rows in PostgreSQL 0.26 s against 0.7 s), so a load
     * pays for the ranking only when two of its rows share a value; a load whose files tell it pays for neither.
     */
    void keepOnePer(List<String> columns) throws SQLException {
        if ((columns.size() == 1 && ascendApart(columns.getFirst())) || allDifferent(columns)) {
            return;
        }
        Map<String, DataType> existing = tables.columns(merged.table());
        String order = merged.dedupSort()
                .filter(sort -> existing.containsKey(sort.column()))
                .map(sort -> quote(sort.column()) + (sort.order() == SortOrder.DESCENDING ? " DESC" : " ASC") + " NULLS LAST, ")
                .orElse("") + ID;
        tables.execute("DELETE FROM " + incoming() + " WHERE " + ID + " IN (SELECT " + ID + " FROM (SELECT " + ID
                + ", row_number() OVER (PARTITION BY " + list(columns) + " ORDER BY " + order + ") AS _sluice_rank FROM " + incoming()
                + " WHERE " + ofThisLoad(Rows.UNNAMED) + ") ranked WHERE _sluice_rank > 1)");
    }

    /**
     * Whether this load's files alone show which rows {@code key} names (none when it is empty): a one-column key whose
     * values are every integer of each file's range, no two files' ranges meeting. {@link #keepOnePer} then has nothing
     * to remove, and {@link #deleteStoredOf} deletes the stored rows by the ranges.
     */
    boolean filesShow(List<String> key) throws SQLException {
        return key.isEmpty() || (key.size() == 1 && keyRanges(key.getFirst())
                .filter(ranges -> AscendingIntegers.apart(ranges) && ranges.stream().allMatch(AscendingIntegers::whole)).isPresent());
    }

    /**
     * Whether this load's files show that no two of its rows share a value of {@code column}, without a look at the
     * rows: every file's values of it ascend, and no two files' ranges meet.
     */
    private boolean ascendApart(String column) throws SQLException {
        return keyRanges(column).filter(AscendingIntegers::apart).isPresent();
    }

    /**
     * The range of {@code column}'s values in each of this load's files, when every file is a copy whose values of it
     * ascend and the table holds it as integers, which keep each value apart (a wider type could make two of them alike).
     */
    private Optional<List<AscendingIntegers>> keyRanges(String column) throws SQLException {
        List<AscendingIntegers> ranges = new ArrayList<>();
        for (TableFile file : files) {
            Optional<AscendingIntegers> range = file.layout().map(layout -> layout.ascending().get(column));
            if (range.isEmpty()) {
                return Optional.empty();
            }
            ranges.add(range.get());
        }
        return ranges.isEmpty() || tables.columns(merged.table()).get(column) != DataType.BIGINT ? Optional.empty() : Optional.of(ranges);
    }

    /**
     * {@code key BETWEEN first AND last} for each run of integers that this load's values of a one-column key make up,
     * when its files show they are every integer of their ranges: the same rows as {@link #amongThisLoad} names, told by
     * a comparison rather than a join with this load's rows. Stored rows deleted so, at a million of each in PostgreSQL,
     * took 0.3 s against 0.8–1.3 s.
     */
    private Optional<String> wholeRunsOf(List<String> key) throws SQLException {
        if (key.size() != 1) {
            return Optional.empty();
        }
        return keyRanges(key.getFirst())
                .filter(ranges -> ranges.stream().allMatch(AscendingIntegers::whole))
                .map(ranges -> AscendingIntegers.joined(ranges).stream()
                        .map(run -> quote(key.getFirst()) + " BETWEEN " + run.first() + " AND " + run.last())
                        .collect(Collectors.joining(" OR ")));
    }

    /**
     * Whether no two of this load's rows have the same values of {@code columns}: true only when the ranking would
     * remove nothing. Both compare alike, nulls included (rows of several columns whose values are alike count once). A
     * single column's nulls are not counted at all, so a load with one counts short and is ranked, as before.
     */
    private boolean allDifferent(List<String> columns) throws SQLException {
        return tables.holds("SELECT count(*) = count(DISTINCT (" + list(columns) + ")) FROM " + incoming() + " WHERE "
                + ofThisLoad(Rows.UNNAMED));
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
        return "(" + list(columns) + ") IN (SELECT " + list(columns) + " FROM " + incoming() + " WHERE " + ofThisLoad(Rows.UNNAMED)
                + (where.isEmpty() ? "" : " AND " + where) + ")";
    }

    /**
     * Deletes the stored rows for which {@code condition} holds, and their nested rows. The root's rows by the
     * condition itself, not by their ids: the same rows (ids are unique), without joining the table to itself by id
     * once more (at a million rows, half of what the delete took in PostgreSQL).
     */
    void deleteStored(String condition) throws SQLException {
        String where = stored(Rows.UNNAMED) + " AND (" + condition + ")";
        for (String nested : existingNestedTables()) {
            tables.execute("DELETE FROM " + tables.name(nested) + " WHERE " + ROOT_ID + " IN (SELECT " + ID + " FROM " + root()
                    + " WHERE " + where + ")");
        }
        tables.execute("DELETE FROM " + root() + " WHERE " + where);
    }

    /**
     * Deletes the stored rows that have the {@code key} of one of this load's rows for which {@code where} holds (of
     * any of them when it is empty), and their nested rows. By the ranges of the key's values when the files show them
     * whole ({@link #wholeRunsOf}). Apart, by a join: PostgreSQL then pairs the rows by sorting
     * both sides, where its hash of a million incoming keys for {@code IN} spills (0.5 s of 1.4 s at a million rows).
     * In the table, by {@code IN}: DuckDB's join held 19 MiB more and took longer there.
     */
    void deleteStoredOf(List<String> key, String where) throws SQLException {
        Optional<String> wholeRuns = where.isEmpty() ? wholeRunsOf(key) : Optional.empty();
        if (wholeRuns.isPresent()) {
            deleteStored(wholeRuns.get());
            return;
        }
        if (apart.isEmpty()) {
            deleteStored(amongThisLoad(key, where));
            return;
        }
        String incomingKeys = "(SELECT " + list(key) + " FROM " + apart.get() + (where.isEmpty() ? "" : " WHERE " + where) + ") incoming";
        String pairs = sameValues(key, "stored", "incoming");
        for (String nested : existingNestedTables()) {
            tables.execute("DELETE FROM " + tables.name(nested) + " AS nested USING " + root() + " stored, " + incomingKeys
                    + " WHERE nested." + ROOT_ID + " = stored." + ID + " AND " + pairs);
        }
        tables.execute("DELETE FROM " + root() + " AS stored USING " + incomingKeys + " WHERE " + pairs);
    }

    /** Removes this load's rows for which {@code condition} holds; their nested rows go with {@link #keepIncoming}. */
    void dropIncoming(String condition) throws SQLException {
        tables.execute("DELETE FROM " + incoming() + " WHERE " + ofThisLoad(Rows.UNNAMED) + " AND (" + condition + ")");
    }

    /**
     * Moves the load's rows that the merge kept into the root table when they were apart (and drops the table that
     * held them), then removes this load's nested rows whose root row is not (or no longer) one of the load's rows. An
     * upsert has pointed the nested rows of an updated record at the stored row, which now carries the load's id. NOT
     * EXISTS, not NOT IN: PostgreSQL turns it into an anti-join, where NOT IN over more ids than fit its work memory is
     * quadratic.
     */
    void keepIncoming() throws SQLException {
        if (apart.isPresent()) {
            String columns = list(List.copyOf(tables.columns(merged.table()).keySet()));
            tables.execute("INSERT INTO " + root() + " (" + columns + ") SELECT " + columns + " FROM " + apart.get());
            tables.execute("DROP TABLE " + apart.get());
        }
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
