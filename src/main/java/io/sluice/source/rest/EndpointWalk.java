package io.sluice.source.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.pipeline.Placeholders;
import io.sluice.pipeline.RestApiSourceSpec.ResponseAction;
import io.sluice.pipeline.RestApiSourceSpec.RestEndpoint;
import io.sluice.pipeline.RestApiSourceSpec.RestResource;
import io.sluice.source.ItemJson;
import io.sluice.source.ItemSink;
import io.sluice.source.SourceException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;

/**
 * Reads one resource's endpoint, page after page, into a sink: its texts filled from the placeholder values of one walk
 * (the incremental window; for a child, one parent item), each answer checked against the response actions and its
 * status, the records selected and handed on.
 */
final class EndpointWalk {
    private static final ObjectMapper JSON = ItemJson.MAPPER;

    private final RestResource resource;
    private final URI baseUrl;
    private final RequestSender sender;
    private final RequestBudget budget;

    EndpointWalk(RestResource resource, URI baseUrl, RequestSender sender, RequestBudget budget) {
        this.resource = resource;
        this.baseUrl = baseUrl;
        this.sender = sender;
        this.budget = budget;
    }

    /**
     * @param values a placeholder's value by its name
     * @param extra fields added to every item (a child's copies of its parent's)
     * @return false when the sink wanted no more items
     */
    boolean walk(Function<String, String> values, Map<String, Object> extra, ItemSink sink) {
        return walk(values, extra, sink, Optional.empty());
    }

    /**
     * A walk that may read only {@code pages_per_run} pages, continuing where the last committed run stopped.
     *
     * @return false when the sink wanted no more items
     */
    boolean walk(Function<String, String> values, ItemSink sink, PageCheckpoint checkpoint) {
        return walk(values, Map.of(), sink, Optional.of(checkpoint));
    }

    /**
     * While the records of a page go to the sink, the next page is already requested and parsed on a thread of its own (at
     * most one ahead), so the API's answer and the sink's work overlap; the sink still sees the pages in order, on this
     * thread. A page is requested ahead only when the walk would request it anyway once the sink took the records.
     */
    private boolean walk(Function<String, String> values, Map<String, Object> extra, ItemSink sink, Optional<PageCheckpoint> checkpoint) {
        RecordSelector selector = new RecordSelector(resource.endpoint().dataSelector());
        Paginator paginator = Paginator.of(resource.paginator());
        PageRequest declared = request(resource.endpoint(), values);
        Optional<PageRequest> next = Optional.of(checkpoint.flatMap(kept -> kept.resumed(declared)).orElseGet(() -> paginator.first(declared)));
        Optional<FutureTask<Fetched>> ahead = Optional.empty();
        long pages = 0;
        try {
            while (next.isPresent()) {
                PageRequest request = next.get();
                if (resource.endpoint().maxPages() > 0 && pages >= resource.endpoint().maxPages()) {
                    throw new SourceException("resource '" + resource.name() + "': more than " + resource.endpoint().maxPages()
                            + " pages (endpoint.max_pages); the next would be " + request.uri() + "; does its paginator ever end?");
                }
                Fetched fetched = ahead.isPresent() ? awaited(ahead.get(), request) : fetch(request);
                ahead = Optional.empty();
                sink.bytesRead(fetched.bytes());
                Page page = fetched.page();
                pages++;
                List<?> records = selector.records(page);
                next = page.ignored() ? Optional.empty() : paginator.next(page, records.size()).map(sender::withoutCredentials);
                if (next.isPresent() && next.get().equals(request)) {
                    throw new SourceException("resource '" + resource.name() + "': the paginator asks for " + request.uri()
                            + " again; it would never end");
                }
                boolean stopsHere = next.isPresent() && checkpoint.isPresent() && pages == resource.endpoint().pagesPerRun();
                boolean withinPages = resource.endpoint().maxPages() == 0 || pages < resource.endpoint().maxPages();
                if (next.isPresent() && !stopsHere && withinPages) {
                    ahead = Optional.of(requestedAhead(next.get(), sink));
                }
                for (Object record : records) {
                    if (!sink.item(item(record, extra), () -> request.uri().toString())) {
                        checkpoint.ifPresent(PageCheckpoint::finished);
                        return false;
                    }
                }
                if (stopsHere) {
                    checkpoint.get().keep(next.get());
                    return true;
                }
            }
        } finally {
            // A walk that ends early (the sink wanted no more, a failure) drops the page it asked for ahead.
            ahead.ifPresent(page -> page.cancel(true));
        }
        checkpoint.ifPresent(PageCheckpoint::finished);
        return true;
    }

    /** A page and the bytes its body took. */
    private record Fetched(Page page, long bytes) {
    }

    private FutureTask<Fetched> requestedAhead(PageRequest request, ItemSink sink) {
        FutureTask<Fetched> page = new FutureTask<>(sink.onBehalf(() -> fetch(request)));
        Thread.ofVirtual().name("rest-page-ahead").start(page);
        return page;
    }

    private static Fetched awaited(FutureTask<Fetched> page, PageRequest request) {
        try {
            return page.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure
                    : new SourceException(request.method() + " " + request.uri() + ": " + e.getCause(), false, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while requesting " + request.uri(), false, e);
        }
    }

    private PageRequest request(RestEndpoint endpoint, Function<String, String> values) {
        URI url = baseUrl.resolve(Placeholders.fill(endpoint.path(), values));
        Map<String, String> params = new LinkedHashMap<>();
        // A parameter whose placeholder has no value (no incremental start yet) is left out, not sent empty.
        endpoint.params().forEach((name, value) -> {
            String filled = Placeholders.fill(value, values);
            if (!filled.isEmpty()) {
                params.put(name, filled);
            }
        });
        Map<String, String> headers = new LinkedHashMap<>();
        endpoint.headers().forEach((name, value) -> headers.put(name, Placeholders.fill(value, values)));
        return new PageRequest(url, endpoint.method(), params, headers, endpoint.json().map(json -> filled(json, values)));
    }

    private static Object filled(Object json, Function<String, String> values) {
        return switch (json) {
            case String text -> Placeholders.fill(text, values);
            case Map<?, ?> map -> {
                Map<String, Object> copy = new LinkedHashMap<>();
                map.forEach((key, value) -> copy.put(String.valueOf(key), filled(value, values)));
                yield copy;
            }
            case List<?> list -> {
                List<Object> copy = new ArrayList<>();
                list.forEach(value -> copy.add(filled(value, values)));
                yield copy;
            }
            case null, default -> json;
        };
    }

    private Fetched fetch(PageRequest request) {
        HttpResponse<byte[]> response = sender.send(request, budget);
        byte[] body = response.body();
        // The body as text only for a response action that looks into it: the records are parsed from the bytes.
        List<ResponseAction> actions = resource.endpoint().responseActions();
        String text = actions.isEmpty() ? "" : new String(body, StandardCharsets.UTF_8);
        for (ResponseAction action : actions) {
            if (action.matches(response.statusCode(), text)) {
                switch (action.action()) {
                    case IGNORE -> {
                        return new Fetched(new Page(request, response.statusCode(), response.headers(), null, true), body.length);
                    }
                    case FAIL -> throw new SourceException(request.method() + " " + request.uri() + ": HTTP " + response.statusCode()
                            + ", which a response action of resource '" + resource.name() + "' fails on");
                }
            }
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new SourceException(request.method() + " " + request.uri() + ": HTTP " + status + (status == 401
                    ? " unauthorized: the credentials were refused" : " forbidden: the credentials may not read this") + " (resource '"
                    + resource.name() + "')");
        }
        if (status < 200 || status >= 300) {
            throw new SourceException(request.method() + " " + request.uri() + ": HTTP " + status + " (resource '" + resource.name()
                    + "'); add a response action to ignore it if it means no records");
        }
        if (isBlank(body)) {
            return new Fetched(new Page(request, status, response.headers(), null, false), body.length);
        }
        try {
            return new Fetched(new Page(request, status, response.headers(), JSON.readValue(body, Object.class), false), body.length);
        } catch (JsonProcessingException e) {
            String type = response.headers().firstValue("Content-Type").orElse("no Content-Type");
            throw new SourceException(request.method() + " " + request.uri() + ": the body is not JSON (" + type + "): "
                    + e.getOriginalMessage(), false, e);
        } catch (IOException e) {
            throw new SourceException(request.method() + " " + request.uri() + ": " + e.getMessage(), false, e);
        }
    }

    /** Empty, or JSON's whitespace only. */
    private static boolean isBlank(byte[] body) {
        for (byte character : body) {
            if (character != ' ' && character != '\t' && character != '\n' && character != '\r') {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> item(Object record, Map<String, Object> extra) {
        Map<String, Object> item = new LinkedHashMap<>();
        if (record instanceof Map<?, ?> map) {
            item.putAll((Map<String, Object>) map);
        } else {
            // A list of plain values: each becomes a one-column row, as dlt does.
            item.put("value", record);
        }
        item.putAll(extra);
        return item;
    }
}
