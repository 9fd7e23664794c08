package io.sluice.schema;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** The columns of one table, in the order they were first seen. */
public record TableSchema(String name, List<Column> columns) {
    public TableSchema {
        requireNonNull(name, "name is null");
        columns = List.copyOf(columns);
    }

    public Optional<Column> column(String columnName) {
        return columns.stream().filter(column -> column.name().equals(columnName)).findFirst();
    }
}
