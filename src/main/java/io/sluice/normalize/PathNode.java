package io.sluice.normalize;

import io.sluice.schema.DataType;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * One source field path within a table, e.g. {@code page.referrer}: its column (once a value was seen), its
 * nested fields, its nested table (once a list was seen) and its variant columns. Following raw keys down this
 * tree is what keeps naming out of the per-value work: each path is named once.
 */
final class PathNode {
    final String sourcePath;
    final String columnName;
    final int level;
    int column = -1;
    Map<String, PathNode> children;
    TableState nestedTable;
    Map<DataType, Integer> variants;

    PathNode(String sourcePath, String columnName, int level) {
        this.sourcePath = sourcePath;
        this.columnName = columnName;
        this.level = level;
    }

    PathNode child(String key) {
        return children == null ? null : children.get(key);
    }

    void addChild(String key, PathNode node) {
        if (children == null) {
            children = new HashMap<>();
        }
        children.put(key, node);
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
