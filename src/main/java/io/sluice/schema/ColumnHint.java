package io.sluice.schema;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** What the spec declares about a column; declared types win over inference. */
public record ColumnHint(String name, Optional<DataType> type, Optional<Boolean> nullable, boolean unique, int precision,
                         int scale, boolean partition) {
    public ColumnHint {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(nullable, "nullable is null");
    }
}
