package io.sluice.schema;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A column of a destination table. {@code variantOf} names the column whose values of another type this one
 * holds ({@code price__v_text} holds the text that arrived for {@code price}).
 */
public record Column(String name, DataType type, boolean nullable, Set<Hint> hints, int precision, int scale,
                     Optional<String> variantOf) {
    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        hints = hints.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(hints));
        requireNonNull(variantOf, "variantOf is null");
    }

    public Column(String name, DataType type) {
        this(name, type, true, Set.of(), 0, 0, Optional.empty());
    }

    public enum Hint {
        PRIMARY_KEY,
        MERGE_KEY,
        UNIQUE,
        PARTITION,
        /** A merged row whose value here is true (or, in a column of another type, not null) deletes its record. */
        HARD_DELETE,
        /** Of a merge load's rows with one primary key, the one with the lowest value here is kept. */
        DEDUP_SORT_ASCENDING,
        /** Of a merge load's rows with one primary key, the one with the highest value here is kept. */
        DEDUP_SORT_DESCENDING
    }

    public Column withType(DataType newType) {
        return new Column(name, newType, nullable, hints, precision, scale, variantOf);
    }

    public Column withHints(Set<Hint> newHints) {
        return new Column(name, type, nullable, newHints, precision, scale, variantOf);
    }

    public boolean has(Hint hint) {
        return hints.contains(hint);
    }
}
