package io.sluice.normalize;

import io.sluice.schema.Naming;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The names of a transform's field path, each matching an item's key as the source spells it or as its snake_case
 * column name, so {@code created_at} finds {@code createdAt} and a masked field is not missed for its spelling. A name
 * may also be a flattened column name: {@code user__email} finds the field {@code email} of the object {@code user},
 * as the table's column {@code user__email} shows it.
 */
final class FieldNames {
    /** Keys of objects keyed by data (ids, dates) would grow the memo without end; past this, names are worked out anew. */
    private static final int MOST_REMEMBERED = 10_000;

    private final List<String> names;
    private final Map<String, String> snakeCase = new HashMap<>();

    FieldNames(List<String> names) {
        this.names = List.copyOf(names);
    }

    int size() {
        return names.size();
    }

    /** The name at {@code depth}, which the walk starts from there. */
    String name(int depth) {
        return names.get(depth);
    }

    /**
     * What of {@code name} is left below {@code key}: empty text when the key is the whole name, the rest of a flattened
     * name when the key begins it ({@code email} of {@code user__email} below {@code user}), or empty when the key is
     * another field.
     */
    Optional<String> below(String name, String key) {
        String column = snakeCase(key);
        if (name.equals(key) || name.equals(column)) {
            return Optional.of("");
        }
        for (String prefix : List.of(column, key)) {
            if (name.startsWith(prefix + Naming.NESTING) && name.length() > prefix.length() + Naming.NESTING.length()) {
                return Optional.of(name.substring(prefix.length() + Naming.NESTING.length()));
            }
        }
        return Optional.empty();
    }

    private String snakeCase(String key) {
        String remembered = snakeCase.get(key);
        if (remembered != null) {
            return remembered;
        }
        String named = Naming.snakeCase(key);
        if (snakeCase.size() < MOST_REMEMBERED) {
            snakeCase.put(key, named);
        }
        return named;
    }
}
