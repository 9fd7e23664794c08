package io.sluice.source.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A real HTTP server on a free local port, answering the routes a test gives it and recording every request. */
final class ApiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the server saw it. */
    record Seen(String method, String path, Map<String, String> query, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(entry -> entry.getValue().getFirst()).orElse(null);
        }
    }

    /** What a route answers: a status, headers and a body. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer json(Object body) {
            return json(200, body, Map.of());
        }

        static Answer json(int status, Object body, Map<String, String> headers) {
            try {
                Map<String, String> all = new LinkedHashMap<>(headers);
                all.put("Content-Type", "application/json");
                return new Answer(status, all, JSON.writeValueAsString(body));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    interface Route {
        Answer answer(Seen request) throws Exception;
    }

    private final HttpServer server;
    final List<Seen> seen = new CopyOnWriteArrayList<>();

    ApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** The server's base URL, ending in a slash. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    ApiServer route(String path, Route route) {
        server.createContext(path, exchange -> answer(exchange, route));
        return this;
    }

    List<Seen> seen(String path) {
        return seen.stream().filter(request -> request.path().equals(path)).toList();
    }

    private void answer(HttpExchange exchange, Route route) throws IOException {
        try (exchange) {
            Map<String, String> query = new LinkedHashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            if (raw != null) {
                for (String pair : raw.split("&")) {
                    String[] parts = pair.split("=", 2);
                    query.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                            parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
                }
            }
            Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), query,
                    Map.copyOf(exchange.getRequestHeaders()), new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            seen.add(request);
            Answer answer;
            try {
                answer = route.answer(request);
            } catch (Exception e) {
                answer = new Answer(500, Map.of(), e.toString());
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
