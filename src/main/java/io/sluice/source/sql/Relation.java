package io.sluice.source.sql;

import static java.util.Objects.requireNonNull;

import io.sluice.pipeline.SqlDatabaseSourceSpec.SqlResource;
import java.util.List;
import java.util.Optional;

/**
 * What one resource reads: the SELECT that yields its rows, and their columns as the database types them.
 *
 * @param description the table or query, for messages: {@code table public.orders}
 * @param select a SELECT of every row, without a window
 */
record Relation(SqlResource resource, String description, String select, List<SqlColumn> columns) {
    Relation {
        requireNonNull(resource, "resource is null");
        requireNonNull(description, "description is null");
        requireNonNull(select, "select is null");
        columns = List.copyOf(columns);
    }

    /** The column named {@code name}, when the rows have one. */
    Optional<SqlColumn> column(String name) {
        return columns.stream().filter(column -> column.name().equals(name)).findFirst();
    }
}
