package io.sluice.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real HTTP server on a free local port whose answers a test holds back: a request to {@code /<gate>/...} waits
 * until the test opens that gate (one item, HTTP 200) or refuses it (an HTTP error status), so a run reading from it
 * stays RUNNING exactly as long as the test wants. A gate left shut answers 503 after a minute, or when closed.
 */
public final class GatedApi implements AutoCloseable {
    private static final long LONGEST_WAIT_SECONDS = 60;

    private final HttpServer server;
    private final Map<String, CompletableFuture<Integer>> gates = new ConcurrentHashMap<>();

    public GatedApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::answer);
        server.start();
    }

    /** The base URL of a gate's requests, ending in a slash. */
    public String url(String gate) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + gate + "/";
    }

    /** Lets every request to the gate, waiting or to come, through with one item. */
    public void open(String gate) {
        gate(gate).complete(200);
    }

    /** Answers every request to the gate, waiting or to come, with {@code status}. */
    public void refuse(String gate, int status) {
        gate(gate).complete(status);
    }

    private CompletableFuture<Integer> gate(String gate) {
        return gates.computeIfAbsent(gate, name -> new CompletableFuture<>());
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String gate = exchange.getRequestURI().getPath().split("/")[1];
            int status;
            try {
                status = gate(gate).get(LONGEST_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException | InterruptedException | java.util.concurrent.ExecutionException e) {
                status = 503;
            }
            byte[] body = (status == 200 ? "[{\"id\": 1, \"gate\": \"" + gate + "\"}]" : "{\"error\": \"refused\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        gates.values().forEach(gate -> gate.complete(503));
        server.stop(0);
    }
}
