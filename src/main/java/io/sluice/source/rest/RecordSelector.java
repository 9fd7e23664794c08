package io.sluice.source.rest;

import io.sluice.source.SourceException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the records in a response body: at the endpoint's {@code data_selector}, or else the body itself when it is a
 * list, the first list under a key APIs commonly use, or the only list at the top of the body.
 */
final class RecordSelector {
    private static final List<String> COMMON_KEYS = List.of("data", "items", "results", "records", "entries", "rows", "values",
            "objects", "hits", "list");

    private final Optional<String> dataSelector;

    RecordSelector(Optional<String> dataSelector) {
        this.dataSelector = dataSelector;
    }

    /** The page's records; a single object selected is one record. */
    List<?> records(Page page) {
        Object body = page.body();
        if (page.ignored() || body == null) {
            return List.of();
        }
        Object selected = dataSelector.map(path -> JsonBodies.read(body, path).orElse(List.of())).orElseGet(() -> detect(body));
        return switch (selected) {
            case List<?> list -> list;
            case Map<?, ?> map -> List.of(map);
            case null -> throw new SourceException(page.request().uri() + ": cannot tell which of the body's lists holds the records;"
                    + " set the endpoint's data_selector");
            default -> throw new SourceException(page.request().uri() + ": the records at data_selector '" + dataSelector.orElse("")
                    + "' are neither a list nor an object");
        };
    }

    private static Object detect(Object body) {
        if (body instanceof List<?> list) {
            return list;
        }
        if (!(body instanceof Map<?, ?> map)) {
            return List.of();
        }
        for (String key : COMMON_KEYS) {
            Object value = map.get(key);
            if (value instanceof List<?> list) {
                return list;
            }
            if (value instanceof Map<?, ?> nested) {
                for (String inner : COMMON_KEYS) {
                    if (nested.get(inner) instanceof List<?> list) {
                        return list;
                    }
                }
            }
        }
        List<?> lists = map.values().stream().filter(List.class::isInstance).toList();
        // One list at the top is the records; none: the body is one record (as a GET of one object is).
        return lists.size() == 1 ? lists.getFirst() : lists.isEmpty() ? map : null;
    }
}
