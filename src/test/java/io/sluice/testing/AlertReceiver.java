package io.sluice.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real HTTP server on localhost that takes alerts the way webhooks, Slack and Teams do: it keeps each request's body
 * by path and answers 200, or the status a test set for that path; a path a test holds answers only once released (or
 * after a minute, or when closed).
 */
public final class AlertReceiver implements AutoCloseable {
    private static final long LONGEST_HOLD_SECONDS = 60;

    private final HttpServer server;
    private final Map<String, List<String>> bodies = new ConcurrentHashMap<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> held = new ConcurrentHashMap<>();

    /** @param port the port to listen on; 0 for a free one */
    public AlertReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::answer);
        server.start();
    }

    /** The URL of {@code path} (no leading slash) on this server. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
    }

    /** Answers every later request to {@code path} with {@code status}. */
    public void answer(String path, int status) {
        statuses.put("/" + path, status);
    }

    /** Keeps requests to {@code path} waiting, their bodies already kept, until {@link #release}. */
    public void hold(String path) {
        held.put("/" + path, new CompletableFuture<>());
    }

    public void release(String path) {
        held.getOrDefault("/" + path, CompletableFuture.completedFuture(null)).complete(null);
    }

    /** The bodies POSTed to {@code path} so far, oldest first. */
    public List<String> bodies(String path) {
        return List.copyOf(bodies.getOrDefault("/" + path, List.of()));
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.computeIfAbsent(path, key -> new CopyOnWriteArrayList<>()).add(body);
            try {
                held.getOrDefault(path, CompletableFuture.completedFuture(null)).get(LONGEST_HOLD_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException | InterruptedException | ExecutionException e) {
                // Answered as it is.
            }
            exchange.sendResponseHeaders(statuses.getOrDefault(path, 200), -1);
        }
    }

    @Override
    public void close() {
        held.values().forEach(hold -> hold.complete(null));
        server.stop(0);
    }
}
