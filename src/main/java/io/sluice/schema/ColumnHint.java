package io.sluice.schema;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What the spec declares about a column; declared types win over inference. {@code hardDelete} and
 * {@code dedupSort} steer merges: see {@link Column.Hint}.
 */
public record ColumnHint(String name, Optional<DataType> type, Optional<Boolean> nullable, boolean unique, int precision,
                         int scale, boolean partition, boolean hardDelete, Optional<SortOrder> dedupSort) {
    public ColumnHint {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(nullable, "nullable is null");
        requireNonNull(dedupSort, "dedupSort is null");
    }
}
