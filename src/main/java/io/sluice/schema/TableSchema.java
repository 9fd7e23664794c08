package io.sluice.schema;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The columns of one table, in the order they were first seen. A nested table names its {@code parent};
 * {@code sourceNames} maps each source field path to its column, so a name decided once (a collision
 * suffix, say) stays decided in later runs.
 */
public record TableSchema(String name, Optional<String> parent, String resource, List<Column> columns,
                          Map<String, String> sourceNames) {
    public TableSchema {
        requireNonNull(name, "name is null");
        requireNonNull(parent, "parent is null");
        requireNonNull(resource, "resource is null");
        columns = List.copyOf(columns);
        sourceNames = Map.copyOf(sourceNames);
    }

    public TableSchema(String name, List<Column> columns) {
        this(name, Optional.empty(), name, columns, Map.of());
    }

    public Optional<Column> column(String columnName) {
        return columns.stream().filter(column -> column.name().equals(columnName)).findFirst();
    }
}
