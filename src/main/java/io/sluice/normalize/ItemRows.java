package io.sluice.normalize;

import io.sluice.schema.Naming;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes one item as rows. Nested objects flatten into {@code parent__child} columns; lists become rows of nested
 * tables {@code table__field}, written after their parent row and linked to it by {@code _sluice_parent_id},
 * {@code _sluice_list_idx} and {@code _sluice_root_id}; a list of scalars gives rows with a {@code value} column;
 * below the nesting limit a value is kept whole, as JSON.
 */
final class ItemRows {
    /** The column of a nested row made from a scalar list element. */
    static final String VALUE = "value";
    private static final int PARENT_ID = 1;
    private static final int LIST_INDEX = 2;
    private static final int ROOT_ID = 3;

    private final int maxNestingDepth;
    private final Naming naming;
    private final DeclaredColumns declared;
    private final ResourceTables tables;
    private final ValueColumns values;

    /** A list found in a row, whose elements become rows of the path's nested table once that row is written. */
    private record NestedList(PathNode node, List<?> elements) {
    }

    ItemRows(int maxNestingDepth, Naming naming, DeclaredColumns declared, ResourceTables tables, ValueColumns values) {
        this.maxNestingDepth = maxNestingDepth;
        this.naming = naming;
        this.declared = declared;
        this.tables = tables;
        this.values = values;
    }

    /**
     * Fills the root table's current row (whose id is set) from the item, then writes it and its nested rows; a row
     * the contract discards is counted, and its nested rows are not written.
     */
    void write(TableState root, RowIds.Id id, Map<String, Object> item, Supplier<String> origin) {
        List<NestedList> lists = new ArrayList<>(0);
        if (!flatten(root, root.fields, item, lists, origin)) {
            root.countDiscardedRow();
            return;
        }
        root.write();
        nested(lists, id, id, origin);
    }

    /** Rows of nested tables, after their parent row was written. */
    private void nested(List<NestedList> lists, RowIds.Id parentId, RowIds.Id rootId, Supplier<String> origin) {
        if (lists.isEmpty()) {
            return;
        }
        for (NestedList list : lists) {
            TableState table = list.node().nestedTable();
            List<?> elements = list.elements();
            for (int index = 0; index < elements.size(); index++) {
                Object element = elements.get(index);
                if (element == null) {
                    continue;
                }
                RowIds.Id id = RowIds.child(parentId, table.salt, index);
                table.newRow();
                table.set(0, id);
                table.set(PARENT_ID, parentId);
                table.set(LIST_INDEX, (long) index);
                table.set(ROOT_ID, rootId);
                List<NestedList> deeper = new ArrayList<>(0);
                boolean kept;
                if (element instanceof Map<?, ?> map) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> fields = (Map<String, Object>) map;
                    kept = flatten(table, table.fields, fields, deeper, origin);
                } else {
                    kept = field(table, table.fields, VALUE, element, deeper, origin);
                }
                if (!kept) {
                    table.countDiscardedRow();
                    continue;
                }
                table.write();
                nested(deeper, id, rootId, origin);
            }
        }
    }

    /** The fields of an object into the current row; false as soon as the contract discards the row. */
    private boolean flatten(TableState table, PathNode parent, Map<String, Object> object, List<NestedList> lists,
                            Supplier<String> origin) {
        for (Map.Entry<String, Object> field : object.entrySet()) {
            if (field.getValue() != null && !field(table, parent, field.getKey(), field.getValue(), lists, origin)) {
                return false;
            }
        }
        return true;
    }

    private boolean field(TableState table, PathNode parent, String key, Object value, List<NestedList> lists,
                          Supplier<String> origin) {
        PathNode node = parent.child(key, naming);
        boolean nestable = node.level <= maxNestingDepth && !(table.isRoot() && declared.isJson(node.columnName));
        if (value instanceof Map<?, ?> map && nestable) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) map;
            return flatten(table, node, fields, lists, origin);
        }
        if (value instanceof List<?> list && nestable) {
            return list.isEmpty() || nestedList(table, node, list, lists, origin);
        }
        return values.put(table, node, value, origin);
    }

    /** Collects a list for its nested table, opening the table on first sight if the tables contract lets it. */
    private boolean nestedList(TableState table, PathNode node, List<?> list, List<NestedList> lists, Supplier<String> origin) {
        if (node.nestedTable() == null) {
            String name = naming.shorten(table.name + Naming.NESTING + node.columnName);
            TableState nested = tables.find(name);
            if (nested == null) {
                switch (tables.admit(name, origin)) {
                    case KEEP -> nested = tables.openNested(name, table.name, node.level);
                    case DISCARD_ROW -> {
                        return false;
                    }
                    case DISCARD_VALUE -> {
                        return true;
                    }
                }
            }
            node.bindNestedTable(nested);
        }
        lists.add(new NestedList(node, list));
        return true;
    }
}
