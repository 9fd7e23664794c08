package io.sluice.http;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * HTTP clients that end with the process. A client's selector thread waits in native code for as long as the client is
 * open, and the JVM's exit waits up to 300 ms for Java threads in native code: a one-shot run from a REST API ended
 * that much later than its summary. So a client built here is shut down when the process stops, its requests under way
 * aborted (a stopping process has cancelled its runs already).
 */
public final class HttpClients {
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(1);

    private HttpClients() {
    }

    /** Builds the client and shuts it down when the process stops. */
    public static HttpClient closedAtExit(HttpClient.Builder builder) {
        HttpClient client = builder.build();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("http-client-close").unstarted(() -> shutDown(client)));
        return client;
    }

    /** Aborts the client's requests and waits, a bounded time, for its threads to end. */
    static void shutDown(HttpClient client) {
        client.shutdownNow();
        try {
            client.awaitTermination(SHUTDOWN_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
