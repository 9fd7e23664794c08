package io.sluice.source.rest;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads values out of parsed JSON bodies by JSONPath ({@code next}, {@code $.links.next}, {@code data.items}). */
final class JsonBodies {
    private static final Configuration PLAIN = Configuration.builder()
            .jsonProvider(new JacksonJsonProvider())
            .mappingProvider(new JacksonMappingProvider())
            .options(Option.SUPPRESS_EXCEPTIONS)
            .build();

    private JsonBodies() {
    }

    /** The value at {@code path}; empty when there is none or it is null. */
    static Optional<Object> read(Object body, String path) {
        if (body == null) {
            return Optional.empty();
        }
        try {
            Object value = JsonPath.using(PLAIN).parse(body).read(path);
            if (value instanceof List<?> list && !JsonPath.isPathDefinite(path)) {
                return list.isEmpty() ? Optional.empty() : Optional.ofNullable(list.getFirst());
            }
            return Optional.ofNullable(value);
        } catch (PathNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The text at {@code path}: a text, or a number's digits; empty for none, null, an empty text or a structure. */
    static Optional<String> text(Object body, String path) {
        return read(body, path)
                .filter(value -> !(value instanceof Map<?, ?>) && !(value instanceof List<?>))
                .map(String::valueOf)
                .filter(text -> !text.isEmpty());
    }

    /** The boolean at {@code path}: also "true" as text; empty when there is none. */
    static Optional<Boolean> bool(Object body, String path) {
        return read(body, path).map(value -> value instanceof Boolean flag ? flag : Boolean.parseBoolean(String.valueOf(value)));
    }

    /** The number at {@code path}; empty when there is none or it is not a number. */
    static Optional<Long> number(Object body, String path) {
        return read(body, path).flatMap(value -> {
            if (value instanceof Number number) {
                return Optional.of(number.longValue());
            }
            try {
                return Optional.of(Long.parseLong(String.valueOf(value)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** Whatever JSONPath selects at {@code path}, unwrapped from a one-element list only when the path was definite. */
    static Object select(Object body, String path) {
        return JsonPath.using(PLAIN).parse(body).read(path);
    }
}
