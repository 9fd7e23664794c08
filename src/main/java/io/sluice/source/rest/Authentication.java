package io.sluice.source.rest;

import io.sluice.pipeline.RestAuth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.function.UnaryOperator;

/** Adds a source's credentials to each request it sends; they never appear in a {@link PageRequest}, so never in a message. */
sealed interface Authentication permits Authentication.None, Authentication.Header, Authentication.Query, OAuth2ClientCredentials {
    /** The request's URI with any credentials that go in the query. */
    default URI uri(URI uri) {
        return uri;
    }

    /**
     * A URI the API gave (a next page's link, a redirect) without the credentials this adds: an API that repeats every
     * parameter in its links would otherwise put the key into messages, bad records' origins and the kept next page.
     */
    default URI withoutCredentials(URI uri) {
        return uri;
    }

    void authenticate(HttpRequest.Builder request);

    /** The API refused the credentials: those fetched at run time are fetched again; true if that was done. */
    default boolean refresh() {
        return false;
    }

    /**
     * @param secrets the value of a secret by its name; resolved here, once, when the source opens
     */
    static Authentication of(RestAuth auth, UnaryOperator<String> secrets, HttpClient client) {
        return switch (auth) {
            case RestAuth.Bearer bearer -> new Header("Authorization", "Bearer " + secrets.apply(bearer.tokenSecret()));
            case RestAuth.Basic basic -> new Header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (basic.username() + ":" + secrets.apply(basic.passwordSecret())).getBytes(StandardCharsets.UTF_8)));
            case RestAuth.ApiKey key -> switch (key.location()) {
                case HEADER -> new Header(key.name(), secrets.apply(key.keySecret()));
                case QUERY -> new Query(key.name(), secrets.apply(key.keySecret()));
            };
            case RestAuth.OAuth2ClientCredentials oauth -> new OAuth2ClientCredentials(oauth, secrets.apply(oauth.clientSecretSecret()), client);
        };
    }

    record None() implements Authentication {
        @Override
        public void authenticate(HttpRequest.Builder request) {
        }
    }

    record Header(String name, String value) implements Authentication {
        @Override
        public void authenticate(HttpRequest.Builder request) {
            request.setHeader(name, value);
        }

        @Override
        public String toString() {
            return "header " + name;
        }
    }

    record Query(String name, String value) implements Authentication {
        @Override
        public URI uri(URI uri) {
            return PageRequest.withQuery(uri, Map.of(name, value));
        }

        @Override
        public URI withoutCredentials(URI uri) {
            String query = uri.getRawQuery();
            if (query == null) {
                return uri;
            }
            String encodedName = URLEncoder.encode(name, StandardCharsets.UTF_8);
            String kept = Arrays.stream(query.split("&"))
                    .filter(parameter -> !parameter.split("=", 2)[0].equals(encodedName))
                    .collect(Collectors.joining("&"));
            String text = uri.toString();
            int start = text.indexOf('?');
            int end = uri.getRawFragment() == null ? text.length() : text.lastIndexOf('#');
            return URI.create(text.substring(0, start) + (kept.isEmpty() ? "" : "?" + kept) + text.substring(end));
        }

        @Override
        public void authenticate(HttpRequest.Builder request) {
        }

        @Override
        public String toString() {
            return "query parameter " + name;
        }
    }
}
