package io.sluice.normalize;

import io.sluice.schema.MergeStrategy;
import io.sluice.schema.Naming;
import io.sluice.schema.TableHints;
import io.sluice.schema.TableSchema;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Turns the items of one resource into rows of its tables, evolving their schema under the resource's contract;
 * rows stream to staged files, so memory holds one item at a time. The work is split: {@link ItemRows} flattens
 * an item into rows, {@link ValueColumns} types and places each value, {@link Contract} decides what the contract
 * refuses, {@link ResourceTables} opens the tables and gathers the result.
 */
public final class ResourceNormalizer implements AutoCloseable {
    private final String rootTableName;
    private final RowIds ids;
    private final Contract contract;
    private final ResourceTables tables;
    private final ItemRows rows;
    private final FlatRows flatRows;
    private TableState root;
    /** Where the root table holds the row hash, or -1 when it has none. */
    private int rowHash = -1;
    private long ordinal;
    private long rejectedRecords;

    /**
     * @param storedTables this resource's tables as the stored schema has them (empty on a first load)
     */
    public ResourceNormalizer(String resource, String rootTable, TableHints hints, List<TableSchema> storedTables,
                              Naming naming, Path directory, String loadId, NormalizeListener listener) {
        this.rootTableName = rootTable;
        this.ids = new RowIds(loadId, resource);
        this.contract = new Contract(resource, hints.contract(), listener);
        DeclaredColumns declared = new DeclaredColumns(hints, naming);
        this.tables = new ResourceTables(resource, storedTables, hints, declared, directory, listener, contract);
        ValueColumns values = new ValueColumns(hints.detections(), naming, declared, contract, listener);
        this.rows = new ItemRows(hints.maxNestingDepth(), naming, declared, tables, values);
        this.flatRows = new FlatRows(naming, values);
    }

    /** Normalizes one item; {@code from} says where it came from, for errors. */
    public void add(Map<String, Object> item, Supplier<String> from) {
        if (root == null && !openRoot(from)) {
            return;
        }
        RowIds.Id id = ids.root(ordinal++);
        root.newRow();
        root.set(0, id.toString());
        if (rowHash >= 0) {
            root.set(rowHash, RowHash.of(item));
        }
        rows.write(root, id, item, from);
    }

    /**
     * Normalizes flat rows given as value arrays against one column list (distinct names), as {@link #add} would
     * normalize each row as an item of those fields, in order, but without building the item: a row with a nested
     * value, or bound for a table that hashes its rows, still goes as an item.
     *
     * @param origins where the row at an index of {@code values} came from, for errors
     */
    public void addRows(List<String> columns, List<Object[]> values, IntFunction<String> origins) {
        for (int index = 0; index < values.size(); index++) {
            Object[] row = values.get(index);
            int at = index;
            Supplier<String> from = () -> origins.apply(at);
            if (root == null && !openRoot(from)) {
                continue;
            }
            if (rowHash >= 0 || FlatRows.hasNested(row)) {
                add(item(columns, row), from);
                continue;
            }
            root.newRow();
            root.set(0, ids.root(ordinal++).toString());
            if (flatRows.fill(root, columns, row, from)) {
                root.write();
            } else {
                root.countDiscardedRow();
            }
        }
    }

    /** A source record that could not be read. It is counted against the root table; a frozen contract fails. */
    public void reject(Supplier<String> from, String reason) {
        contract.rejected(rootTableName, from, reason);
        rejectedRecords++;
    }

    public NormalizedResource finish() {
        return tables.finish(rootTableName, rejectedRecords);
    }

    @Override
    public void close() {
        tables.close();
    }

    private static Map<String, Object> item(List<String> columns, Object[] row) {
        Map<String, Object> item = LinkedHashMap.newLinkedHashMap(columns.size());
        for (int column = 0; column < row.length; column++) {
            item.put(columns.get(column), row[column]);
        }
        return item;
    }

    /** Opens the root table for the first item; false (the item is dropped) when the tables contract keeps it out. */
    private boolean openRoot(Supplier<String> from) {
        if (tables.admit(rootTableName, from) != Contract.Verdict.KEEP) {
            return false;
        }
        root = tables.openRoot(rootTableName);
        rowHash = root.indexOf(MergeStrategy.Scd2.ROW_HASH);
        return true;
    }
}
