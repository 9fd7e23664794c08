package io.sluice.normalize;

import io.sluice.schema.DataType;
import io.sluice.schema.Naming;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * One source field path within a table, e.g. {@code page.referrer}, remembering what was decided for it: its
 * column, its nested table and its variant columns. Following raw keys down this tree is what keeps naming out of
 * the per-value work: each path is named once.
 */
final class PathNode {
    private static final int NO_COLUMN = -1;

    final String sourcePath;
    final String columnName;
    final int level;
    private int column = NO_COLUMN;
    private Map<String, PathNode> children;
    private TableState nestedTable;
    private Map<DataType, Integer> variants;

    PathNode(String sourcePath, String columnName, int level) {
        this.sourcePath = sourcePath;
        this.columnName = columnName;
        this.level = level;
    }

    boolean hasColumn() {
        return column != NO_COLUMN;
    }

    /** The index of this path's column in its table; valid once {@link #hasColumn()}. */
    int column() {
        return column;
    }

    void bindColumn(int index) {
        column = index;
    }

    /** The table this path's lists go to, or null before the first list was admitted. */
    TableState nestedTable() {
        return nestedTable;
    }

    void bindNestedTable(TableState table) {
        nestedTable = table;
    }

    /** The child path of {@code key}, created with its column name on first sight. */
    PathNode child(String key, Naming naming) {
        PathNode node = children == null ? null : children.get(key);
        if (node == null) {
            node = new PathNode(sourcePath.isEmpty() ? key : sourcePath + "." + key,
                    columnName.isEmpty() ? naming.identifier(key) : naming.nested(columnName, key), level + 1);
            if (children == null) {
                children = new HashMap<>();
            }
            children.put(key, node);
        }
        return node;
    }

    Integer variant(DataType type) {
        return variants == null ? null : variants.get(type);
    }

    void addVariant(DataType type, int index) {
        if (variants == null) {
            variants = new EnumMap<>(DataType.class);
        }
        variants.put(type, index);
    }
}
