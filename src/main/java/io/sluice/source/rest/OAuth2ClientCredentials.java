package io.sluice.source.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.pipeline.RestAuth;
import io.sluice.source.SourceException;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The OAuth 2.0 client credentials grant: a token fetched from the token URL, kept for every request of the source, and
 * fetched again a minute before it expires (or sooner, for a short-lived one) or when the API refuses it.
 */
final class OAuth2ClientCredentials implements Authentication {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EARLY = Duration.ofSeconds(60);

    private final RestAuth.OAuth2ClientCredentials spec;
    private final String clientSecret;
    private final HttpClient client;
    private String token;
    private Instant refreshAt = Instant.MIN;

    OAuth2ClientCredentials(RestAuth.OAuth2ClientCredentials spec, String clientSecret, HttpClient client) {
        this.spec = spec;
        this.clientSecret = clientSecret;
        this.client = client;
    }

    @Override
    public synchronized void authenticate(HttpRequest.Builder request) {
        if (token == null || !Instant.now().isBefore(refreshAt)) {
            fetch();
        }
        request.setHeader("Authorization", "Bearer " + token);
    }

    @Override
    public synchronized boolean refresh() {
        refreshAt = Instant.MIN;
        return true;
    }

    private void fetch() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", spec.clientId());
        form.put("client_secret", clientSecret);
        if (!spec.scope().isEmpty()) {
            form.put("scope", spec.scope());
        }
        form.putAll(spec.requestData());
        String body = form.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(spec.accessTokenUrl())
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        String what = "the OAuth2 token from " + spec.accessTokenUrl();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SourceException("cannot fetch " + what + ": " + RequestSender.describe(e), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while fetching " + what, false, e);
        }
        if (response.statusCode() != 200) {
            throw new SourceException("cannot fetch " + what + ": HTTP " + response.statusCode()
                    + (response.statusCode() == 400 || response.statusCode() == 401 ? " (check client_id and the client_secret secret)" : ""),
                    response.statusCode() >= 500, null);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new SourceException(what + " is not JSON", false, e);
        }
        if (!answer.path("access_token").isTextual()) {
            throw new SourceException(what + ": the response has no access_token");
        }
        token = answer.get("access_token").asText();
        Duration lifetime = answer.path("expires_in").canConvertToLong() ? Duration.ofSeconds(answer.get("expires_in").asLong())
                : spec.defaultExpiration();
        // A token that lives less than two minutes is fetched again halfway through its life.
        Duration early = lifetime.compareTo(EARLY.multipliedBy(2)) < 0 ? lifetime.dividedBy(2) : EARLY;
        refreshAt = Instant.now().plus(lifetime).minus(early);
    }

    @Override
    public String toString() {
        return "OAuth2 client credentials from " + spec.accessTokenUrl();
    }
}
