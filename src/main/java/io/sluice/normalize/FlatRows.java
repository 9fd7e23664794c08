package io.sluice.normalize;

import io.sluice.schema.DataType;
import io.sluice.schema.Naming;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes flat rows given as value arrays into the root table, with no item map and no walk: each column's path is
 * found once per column list, and a value whose Java type is what its column stores goes straight into the row.
 * Every other value (the first of its column, a decimal, a timestamp's text, one the contract must judge) takes
 * {@link ValueColumns#put}, the path an item's value takes, so the rows, schema changes and counts are the same.
 */
final class FlatRows {
    private final Naming naming;
    private final ValueColumns values;
    /** The column list {@link #paths} was found for; sources hand the same list with every batch. */
    private List<String> columns;
    private PathNode[] paths;

    FlatRows(Naming naming, ValueColumns values) {
        this.naming = naming;
        this.values = values;
    }

    /** Whether a row holds a nested value, which only an item's walk can flatten or keep whole as its table says. */
    static boolean hasNested(Object[] row) {
        for (Object value : row) {
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                return true;
            }
        }
        return false;
    }

    /** Fills the root table's current row (whose id is set) from {@code row}; false when the contract discards the row. */
    boolean fill(TableState root, List<String> rowColumns, Object[] row, Supplier<String> origin) {
        if (rowColumns != columns) {
            bind(root, rowColumns);
        }
        for (int i = 0; i < row.length; i++) {
            Object value = row[i];
            if (value == null) {
                continue;
            }
            PathNode path = paths[i];
            if (path.hasColumn() && stores(root.column(path.column()).type(), value)) {
                root.set(path.column(), value);
            } else if (!values.put(root, path, value, origin)) {
                return false;
            }
        }
        return true;
    }

    private void bind(TableState root, List<String> rowColumns) {
        paths = new PathNode[rowColumns.size()];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = root.fields.child(rowColumns.get(i), naming);
        }
        columns = rowColumns;
    }

    /** Whether a column of {@code type} stores {@code value} as it is: what {@link Values#fit} answers for it, cheaply. */
    private static boolean stores(DataType type, Object value) {
        return switch (type) {
            case BIGINT -> value instanceof Long;
            case DOUBLE -> value instanceof Double;
            case BOOL -> value instanceof Boolean;
            case TEXT -> value instanceof String;
            case DECIMAL, TIMESTAMP, DATE, TIME, JSON, BINARY -> false;
        };
    }
}
