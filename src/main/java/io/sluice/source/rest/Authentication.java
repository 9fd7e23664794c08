package io.sluice.source.rest;

import io.sluice.pipeline.RestAuth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Adds a source's credentials to each request it sends; they never appear in a {@link PageRequest}, so never in a message. */
sealed interface Authentication permits Authentication.None, Authentication.Header, Authentication.Query, OAuth2ClientCredentials {
    /** The request's URI with any credentials that go in the query. */
    default URI uri(URI uri) {
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
        public void authenticate(HttpRequest.Builder request) {
        }

        @Override
        public String toString() {
            return "query parameter " + name;
        }
    }
}
