package io.sluice.normalize;

import io.sluice.schema.Naming;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names of a transform's field path, each matching an item's key as the source spells it or as its snake_case
 * column name, so {@code created_at} finds {@code createdAt} and a masked field is not missed for its spelling.
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

    boolean matches(int depth, String key) {
        String name = names.get(depth);
        return name.equals(key) || name.equals(snakeCase(key));
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
