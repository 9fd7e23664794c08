package io.sluice.runs.alerts;

import io.sluice.http.HttpClients;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** POSTs an alert's JSON to a webhook URL; an answer other than 2xx, or none, is a failed try. */
final class WebhookPoster {
    private final Duration timeout;
    /** Built at the first post: building it loads the JDK's trust store, which a run without webhook alerts never needs. */
    private HttpClient client;

    WebhookPoster(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * @param secret the name of the secret that holds {@code url}, for messages in its place
     * @throws AlertNotSentException naming the secret and what went wrong, never the URL
     */
    void post(String url, String secret, String json) throws AlertNotSentException {
        HttpRequest request = HttpRequest.newBuilder(uri(url, secret)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<Void> response;
        try {
            response = client().send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // The exception's message may hold the URL: only its kind is told.
            throw new AlertNotSentException("the URL in secret '" + secret + "' could not be reached ("
                    + e.getClass().getSimpleName() + ")", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlertNotSentException("interrupted while sending to the URL in secret '" + secret + "'", false);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            boolean retryable = status == 408 || status == 429 || status / 100 == 5;
            throw new AlertNotSentException("the URL in secret '" + secret + "' answered HTTP " + status, retryable);
        }
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClients.closedAtExit(HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER));
        }
        return client;
    }

    private static URI uri(String url, String secret) throws AlertNotSentException {
        try {
            URI uri = new URI(url.strip());
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // Told below, without the value.
        }
        throw new AlertNotSentException("secret '" + secret + "' does not hold an http(s) URL", false);
    }
}
