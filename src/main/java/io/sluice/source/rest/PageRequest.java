package io.sluice.source.rest;

import static java.util.Objects.requireNonNull;

import io.sluice.pipeline.RestApiSourceSpec.Method;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One request of a page, before authentication adds its credentials: so {@link #uri()} can name it in any message.
 *
 * @param url the URL without the params (it may carry a query of its own, as a next link does)
 * @param json the body of a POST
 */
record PageRequest(URI url, Method method, Map<String, String> params, Map<String, String> headers, Optional<Object> json) {
    PageRequest {
        requireNonNull(url, "url is null");
        requireNonNull(method, "method is null");
        params = Map.copyOf(params);
        headers = Map.copyOf(headers);
        requireNonNull(json, "json is null");
    }

    /** The URL with the params in its query. */
    URI uri() {
        return withQuery(url, params);
    }

    PageRequest withParam(String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(params);
        changed.put(name, value);
        return new PageRequest(url, method, changed, headers, json);
    }

    /** A request of {@code next} (a next link: its query says everything), keeping the headers and body. */
    PageRequest withUrl(URI next) {
        return new PageRequest(next, method, Map.of(), headers, json);
    }

    PageRequest withJson(Object body) {
        return new PageRequest(url, method, params, headers, Optional.of(body));
    }

    static URI withQuery(URI url, Map<String, String> params) {
        if (params.isEmpty()) {
            return url;
        }
        String added = params.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(param -> encode(param.getKey()) + "=" + encode(param.getValue()))
                .collect(Collectors.joining("&"));
        String text = url.toString();
        return URI.create(text + (url.getRawQuery() == null ? "?" : "&") + added);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
