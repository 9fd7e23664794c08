package io.sluice.source.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.pipeline.RestApiSourceSpec.RestEndpoint;
import io.sluice.source.SourceState;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where a walk that reads a part of its pages per run ({@code pages_per_run}) stopped: the next page's request, kept in
 * the resource's source state, so it is committed with the rows read before it. A walk of an endpoint declared
 * otherwise since then starts over.
 *
 * <p>Opt-in, not the default, on purpose. A run commits its rows and every resource's state in one transaction, or
 * nothing: a run that fails halfway has loaded none of its pages, so a kept token would point past rows that never
 * landed, and committing half a walk instead would empty a replacing resource's table to its first pages. Continuing
 * a walk in a later run is also only right when the API's pages hold still between runs (a cursor or link token);
 * an offset over a list that grows in between skips or repeats records. So a failure loses at most the work of one
 * run: transient failures are retried per request within it (Retry-After, backoff, the circuit breaker); an
 * incremental resource starts again from its committed cursor, not from the first page; and a long history read in
 * parts ({@code pages_per_run}) loses at most its last part.
 */
final class PageCheckpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NEXT_PAGE = "next_page";

    private final SourceState state;
    private final String endpoint;

    PageCheckpoint(SourceState state, RestEndpoint endpoint) {
        this.state = state;
        // The declared texts, before placeholders are filled: a window that moved since keeps the walk it started.
        this.endpoint = endpoint.method() + " " + endpoint.path() + " " + new TreeMap<>(endpoint.params()) + " " + endpoint.json().orElse("");
    }

    /** The request the last committed run stopped before, with the headers declared now. */
    Optional<PageRequest> resumed(PageRequest declared) {
        JsonNode next = state.read().path(NEXT_PAGE);
        if (!next.isObject() || !next.path("endpoint").asText().equals(endpoint)) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        next.path("params").properties().forEach(param -> params.put(param.getKey(), param.getValue().asText()));
        Optional<Object> json = next.has("json") ? Optional.of(JSON.convertValue(next.get("json"), Object.class)) : Optional.empty();
        return Optional.of(new PageRequest(URI.create(next.path("url").asText()), declared.method(), params, declared.headers(), json));
    }

    /** The walk stops before {@code next}, where the next run goes on. */
    void keep(PageRequest next) {
        ObjectNode kept = state.read();
        ObjectNode page = kept.putObject(NEXT_PAGE);
        page.put("endpoint", endpoint);
        page.put("url", next.url().toString());
        ObjectNode params = page.putObject("params");
        next.params().forEach(params::put);
        next.json().ifPresent(json -> page.set("json", JSON.valueToTree(json)));
        state.write(kept);
    }

    /** The walk read its last page: the next run starts over. */
    void finished() {
        ObjectNode kept = state.read();
        if (kept.remove(NEXT_PAGE) != null) {
            state.write(kept);
        }
    }
}
