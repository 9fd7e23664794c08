package io.sluice.source.rest;

import io.sluice.http.HttpClients;
import io.sluice.pipeline.Placeholders;
import io.sluice.pipeline.RestApiSourceSpec;
import io.sluice.pipeline.RestApiSourceSpec.RestResource;
import io.sluice.source.IncrementalWindow;
import io.sluice.source.ItemSink;
import io.sluice.source.RequestListener;
import io.sluice.source.Source;
import io.sluice.source.SourceException;
import io.sluice.source.SourceState;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A REST API source: each resource read by walking its endpoint's pages, at most {@code max_concurrent_resources} at
 * once; a child resource walks its parent's pages and, for each parent item, its own endpoint filled with the item's
 * fields. An incremental resource's window is pushed down through its placeholders; the engine filters every item
 * against it anyway. A resource that reads a part of its pages per run keeps the next page's request in its source
 * state; a child of an incremental parent keeps the parent's cursor it reached, and reads only the children of
 * parents changed since.
 */
public final class RestApiSource implements Source {
    /**
     * One client for every source of the process: its connections are pooled, and a run opens a source without a way to
     * close it (the process closes it as it stops). Redirects are followed by the sender, which keeps credentials on
     * their host.
     */
    private static final HttpClient CLIENT = HttpClients.closedAtExit(HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER));

    private final RestApiSourceSpec spec;
    private final RequestSender sender;
    private final Semaphore resourcesAtOnce;

    /**
     * @param secrets the value of a secret the spec names; the credentials are resolved once, here
     * @param requests told of each request sent
     */
    public RestApiSource(RestApiSourceSpec spec, UnaryOperator<String> secrets, RequestListener requests) {
        this.spec = spec;
        Authentication authentication = spec.auth().map(auth -> Authentication.of(auth, secrets, CLIENT))
                .orElseGet(Authentication.None::new);
        this.sender = new RequestSender(CLIENT, authentication, spec.client(), requests);
        this.resourcesAtOnce = new Semaphore(spec.client().maxConcurrentResources());
    }

    @Override
    public List<String> resources() {
        return spec.resources().stream().map(RestResource::name).toList();
    }

    @Override
    public void extract(String name, Optional<IncrementalWindow> window, SourceState state, ItemSink sink) {
        RestResource resource = spec.resource(name);
        try {
            resourcesAtOnce.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while waiting to request resource '" + name + "'", false, e);
        }
        try {
            RequestBudget budget = new RequestBudget(name, spec.client().maxRequests());
            Function<String, String> incremental = incrementalValues(window);
            EndpointWalk walk = new EndpointWalk(resource, spec.baseUrl(), sender, budget);
            if (resource.parent().isEmpty()) {
                walk.walk(incremental, sink, new PageCheckpoint(state, resource.endpoint()));
                return;
            }
            Optional<ParentCursor> cursor = spec.resource(resource.parent().get()).incremental()
                    .map(parentIncremental -> new ParentCursor(state, parentIncremental));
            boolean walkedAll = new ParentItems(spec, resource, sender, budget).forEach(sink, cursor, parentItem -> walk.walk(
                    ParentItems.values(parentItem, incremental), ParentItems.included(resource, parentItem), sink));
            if (walkedAll) {
                cursor.ifPresent(ParentCursor::finished);
            }
        } finally {
            resourcesAtOnce.release();
        }
    }

    /** The window's bounds by placeholder name; a bound the window lacks is empty. */
    private static Function<String, String> incrementalValues(Optional<IncrementalWindow> window) {
        return name -> switch (name) {
            case Placeholders.START_VALUE -> window.flatMap(IncrementalWindow::start).map(Object::toString).orElse("");
            case Placeholders.END_VALUE -> window.flatMap(IncrementalWindow::end).map(Object::toString).orElse("");
            default -> "";
        };
    }

    @Override
    public long totalBytes(String resource) {
        return 0;
    }
}
