package io.sluice.schema;

import static java.util.Objects.requireNonNull;

/** A column of a destination table. */
public record Column(String name, DataType type) {
    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
