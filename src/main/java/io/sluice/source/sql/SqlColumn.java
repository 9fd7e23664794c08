package io.sluice.source.sql;

import static java.util.Objects.requireNonNull;

import io.sluice.schema.ColumnHint;
import io.sluice.schema.DataType;
import java.util.Optional;

/**
 * A column of what a resource reads, as the database types it.
 *
 * @param name the column's name (its label in the query), the key of its values in each item
 * @param typeName the database's own name of the column's type, in lower case ({@code timestamptz}, {@code float4})
 * @param precision digits in all, for decimals with a declared precision up to 38; 0: the default
 */
record SqlColumn(String name, ColumnKind kind, String typeName, int precision, int scale) {
    SqlColumn {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(typeName, "typeName is null");
    }

    /** The column as the spec would declare it: its type, and a decimal's precision and scale. */
    ColumnHint hint() {
        boolean decimal = kind.type() == DataType.DECIMAL;
        return new ColumnHint(name, Optional.of(kind.type()), Optional.empty(), false, decimal ? precision : 0,
                decimal ? scale : 0, false, false, Optional.empty());
    }
}
