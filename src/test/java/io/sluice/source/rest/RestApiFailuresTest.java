package io.sluice.source.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.source.SourceException;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.PostgresPassword;
import io.sluice.testing.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * Transient failures retried by the request guard, terminal ones (a 4xx, an untrusted certificate) not, and each error
 * naming the URL and the cause.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
@QuarkusTestResource(PostgresPassword.class)
class RestApiFailuresTest {
    private static final String FAST_RETRIES = "client: { retries: { max_attempts: 4, backoff: 20ms, max_backoff: 100ms, jitter: 0.2 } }\n";

    @Test
    void tooManyRequestsWaitsForRetryAfterAndFlaky500sAreRetried() throws Exception {
        AtomicInteger limited = new AtomicInteger();
        AtomicInteger flaky = new AtomicInteger();
        try (ApiServer server = new ApiServer()) {
            server.route("/limited", request -> limited.incrementAndGet() == 1
                    ? ApiServer.Answer.json(429, Map.of("error", "slow down"), Map.of("Retry-After", "1"))
                    : ApiServer.Answer.json(List.of(Map.of("id", 1))));
            server.route("/flaky", request -> flaky.incrementAndGet() <= 2
                    ? ApiServer.Answer.json(500, Map.of("error", "oops"), Map.of())
                    : ApiServer.Answer.json(List.of(Map.of("id", 2))));
            RestRuns runs = new RestRuns(Map.of());
            runs.run("base_url: \"" + server.url() + "\"\n" + FAST_RETRIES + "resources: [ { name: limited }, { name: flaky } ]\n");
            assertEquals(List.of(List.of("1")), runs.rows("SELECT id FROM raw.limited"));
            assertEquals(List.of(List.of("2")), runs.rows("SELECT id FROM raw.flaky"));
            List<ApiServer.Seen> seen = server.seen("/limited");
            assertEquals(2, seen.size());
            assertEquals(3, flaky.get(), "two failures, then the answer");
        }
    }

    @Test
    void aClientErrorIsNotRetriedAndPersistentFailuresNameTheUrl() throws Exception {
        try (ApiServer server = new ApiServer()) {
            server.route("/bad", request -> ApiServer.Answer.json(400, Map.of("error", "bad filter"), Map.of()));
            server.route("/down", request -> ApiServer.Answer.json(503, Map.of("error", "down"), Map.of()));
            server.route("/html", request -> new ApiServer.Answer(200, Map.of("Content-Type", "text/html"), "<html>login</html>"));
            server.route("/later", request -> ApiServer.Answer.json(429, Map.of(), Map.of("Retry-After", "3600")));
            RestRuns runs = new RestRuns(Map.of());
            SourceException bad = assertThrows(SourceException.class,
                    () -> runs.run("base_url: \"" + server.url() + "\"\n" + FAST_RETRIES + "resources: [ { name: bad } ]\n"));
            assertTrue(bad.getMessage().startsWith("GET " + server.url() + "bad: HTTP 400"), bad.getMessage());
            assertEquals(1, server.seen("/bad").size(), "a 4xx is not retried");
            SourceException down = assertThrows(SourceException.class,
                    () -> runs.run("base_url: \"" + server.url() + "\"\n" + FAST_RETRIES + "resources: [ { name: down } ]\n"));
            assertEquals("GET " + server.url() + "down failed after 4 attempt(s): HTTP 503", down.getMessage());
            assertTrue(down.transientFailure(), "the run's own retry policy may try again later");
            assertEquals(4, server.seen("/down").size());
            SourceException html = assertThrows(SourceException.class,
                    () -> runs.run("base_url: \"" + server.url() + "\"\n" + "resources: [ { name: html } ]\n"));
            assertTrue(html.getMessage().startsWith("GET " + server.url() + "html: the body is not JSON (text/html)"), html.getMessage());
            SourceException later = assertThrows(SourceException.class,
                    () -> runs.run("base_url: \"" + server.url() + "\"\n" + "resources: [ { name: later } ]\n"));
            assertTrue(later.getMessage().endsWith("HTTP 429 asks to retry after 3600s, longer than client.max_retry_after (300s)"),
                    later.getMessage());
        }
    }

    @Test
    void aServerCertificateTheJvmDoesNotTrustFailsTheRunAtOnceNamingTheUrlAndTheTlsCause() throws Exception {
        Path directory = Files.createTempDirectory("rest-tls");
        SelfSignedCertificate.create(directory, "untrusted");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (var input = Files.newInputStream(directory.resolve("untrusted.p12"))) {
            keys.load(input, "changeit".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        AtomicInteger answered = new AtomicInteger();
        server.createContext("/items", exchange -> {
            answered.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "https://localhost:" + server.getAddress().getPort() + "/";
            SourceException failure = assertThrows(SourceException.class,
                    () -> new RestRuns(Map.of()).run("base_url: \"" + url + "\"\n" + FAST_RETRIES + "resources: [ { name: items } ]\n"));
            assertTrue(failure.getMessage().startsWith("GET " + url + "items: the TLS handshake with localhost:"), failure.getMessage());
            assertTrue(failure.getMessage().contains("PKIX path building failed"), failure.getMessage());
            assertFalse(failure.transientFailure(), "an untrusted certificate stays untrusted: not retried");
            assertEquals(0, answered.get());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnreachableHostFailsNamingItAndTheCircuitBreakerStopsAskingIt() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RestRuns runs = new RestRuns(Map.of());
        SourceException unreachable = assertThrows(SourceException.class, () -> runs.run("base_url: \"http://127.0.0.1:" + closedPort + "/\"\n"
                + FAST_RETRIES + "resources: [ { name: items } ]\n"));
        assertTrue(unreachable.getMessage().startsWith("GET http://127.0.0.1:" + closedPort + "/items failed after 4 attempt(s): cannot reach"
                + " 127.0.0.1:" + closedPort), unreachable.getMessage());

        try (ApiServer server = new ApiServer()) {
            server.route("/broken", request -> ApiServer.Answer.json(502, Map.of(), Map.of()));
            SourceException open = assertThrows(SourceException.class, () -> runs.run("base_url: \"" + server.url() + "\"\n"
                    + "client: { retries: { max_attempts: 20, backoff: 10ms, max_backoff: 10ms }, circuit_breaker: { request_volume_threshold: 4,"
                    + " failure_ratio: 0.5, delay: 1m } }\nresources: [ { name: broken } ]\n"));
            assertTrue(open.getMessage().contains("too many requests to 127.0.0.1:"), open.getMessage());
            assertEquals(4, server.seen("/broken").size(), "the breaker opened after 4 failures of 4");
            assertFalse(open.getMessage().contains("20 attempt"), open.getMessage());
        }
    }
}
