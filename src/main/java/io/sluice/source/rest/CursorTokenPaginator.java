package io.sluice.source.rest;

import io.sluice.pipeline.PaginatorSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Pages by a token the body gives for the next request, sent in a query parameter or put into the JSON body. */
final class CursorTokenPaginator implements Paginator {
    private final PaginatorSpec.Cursor spec;

    CursorTokenPaginator(PaginatorSpec.Cursor spec) {
        this.spec = spec;
    }

    @Override
    public PageRequest first(PageRequest request) {
        return request;
    }

    @Override
    public Optional<PageRequest> next(Page page, int records) {
        if (spec.hasMorePath().flatMap(path -> JsonBodies.bool(page.body(), path)).map(more -> !more).orElse(false)) {
            return Optional.empty();
        }
        return JsonBodies.text(page.body(), spec.cursorPath()).map(token -> spec.cursorParam()
                .map(param -> page.request().withParam(param, token))
                .orElseGet(() -> page.request().withJson(withToken(page.request().json().orElse(Map.of()),
                        spec.cursorBodyPath().orElseThrow().split("\\."), 0, token))));
    }

    /** A copy of {@code json} with {@code token} at the dotted path, its objects made where missing. */
    private static Object withToken(Object json, String[] path, int at, String token) {
        Map<String, Object> copy = new LinkedHashMap<>();
        if (json instanceof Map<?, ?> map) {
            map.forEach((key, value) -> copy.put(String.valueOf(key), value));
        }
        copy.put(path[at], at == path.length - 1 ? token : withToken(copy.get(path[at]), path, at + 1, token));
        return copy;
    }
}
