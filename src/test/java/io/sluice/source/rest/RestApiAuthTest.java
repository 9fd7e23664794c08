package io.sluice.source.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.source.SourceException;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.PostgresPassword;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Requests as the spec declares them (base URL, headers, params, POST bodies) and each auth style, rows checked in DuckDB.
 * A Quarkus test: the request guards are SmallRye Fault Tolerance's, which the application provides.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
@QuarkusTestResource(PostgresPassword.class)
class RestApiAuthTest {
    private static final Map<String, String> SECRETS = Map.of("api-token", "t0ken-value", "api-key", "k3y-value",
            "api-password", "pa55", "client-secret", "cl1ent-secret");

    @Test
    void aBearerTokenHeadersParamsAndTheEndpointsOwnOverTheSources() throws Exception {
        try (ApiServer server = new ApiServer()) {
            server.route("/v1/users", request -> ApiServer.Answer.json(
                    "Bearer t0ken-value".equals(request.header("Authorization"))
                            ? List.of(Map.of("id", 1, "name", "ada"), Map.of("id", 2, "name", "grace"))
                            : List.of()));
            RestRuns runs = new RestRuns(SECRETS);
            runs.run("""
                    base_url: "%sv1/"
                    auth: { bearer: { token_secret: api-token } }
                    headers: { X-Client: sluice, X-Version: "1" }
                    params: { per_page: "50", state: all }
                    resources:
                      - name: users
                        endpoint: { path: users, params: { state: open }, headers: { X-Version: "2" } }
                    """.formatted(server.url()));
            assertEquals(List.of(List.of("1", "ada"), List.of("2", "grace")), runs.rows("SELECT id, name FROM raw.users ORDER BY id"));
            ApiServer.Seen seen = server.seen("/v1/users").getFirst();
            assertEquals(Map.of("per_page", "50", "state", "open"), seen.query(), "the endpoint's params over the source's");
            assertEquals("sluice", seen.header("X-Client"));
            assertEquals("2", seen.header("X-Version"), "the endpoint's header over the source's");
        }
    }

    @Test
    void aPostSearchSendsItsJsonBody() throws Exception {
        try (ApiServer server = new ApiServer()) {
            server.route("/search", request -> ApiServer.Answer.json(Map.of("results", request.body().contains("\"status\":\"open\"")
                    && request.method().equals("POST") ? List.of(Map.of("id", 7)) : List.of())));
            RestRuns runs = new RestRuns(SECRETS);
            runs.run("""
                    base_url: "%s"
                    resources:
                      - name: found
                        endpoint: { path: search, method: POST, json: { filter: { status: open }, limit: 10 } }
                    """.formatted(server.url()));
            assertEquals(List.of(List.of("7")), runs.rows("SELECT id FROM raw.found"));
            assertTrue(server.seen("/search").getFirst().body().contains("\"limit\":10"), "whole numbers stay whole");
        }
    }

    @Test
    void anApiKeyGoesInAHeaderOrTheQueryAndBasicAuthInAuthorization() throws Exception {
        try (ApiServer server = new ApiServer()) {
            server.route("/in-header", request -> ApiServer.Answer.json(List.of(Map.of("key", String.valueOf(request.header("X-Api-Key"))))));
            server.route("/in-query", request -> ApiServer.Answer.json(List.of(Map.of("key", String.valueOf(request.query().get("api_key"))))));
            server.route("/basic", request -> ApiServer.Answer.json(List.of(Map.of("key", String.valueOf(request.header("Authorization"))))));
            RestRuns runs = new RestRuns(SECRETS);
            runs.run("""
                    base_url: "%s"
                    auth: { api_key: { name: X-Api-Key, key_secret: api-key } }
                    resources: [ { name: in-header } ]
                    """.formatted(server.url()));
            runs.run("""
                    base_url: "%s"
                    auth: { api_key: { name: api_key, key_secret: api-key, location: QUERY } }
                    resources: [ { name: in-query } ]
                    """.formatted(server.url()));
            runs.run("""
                    base_url: "%s"
                    auth: { basic: { username: ada, password_secret: api-password } }
                    resources: [ { name: basic } ]
                    """.formatted(server.url()));
            assertEquals(List.of(List.of("k3y-value")), runs.rows("SELECT key FROM raw.in_header"));
            assertEquals(List.of(List.of("k3y-value")), runs.rows("SELECT key FROM raw.in_query"));
            assertEquals(List.of(List.of("Basic " + Base64.getEncoder().encodeToString("ada:pa55".getBytes(StandardCharsets.UTF_8)))),
                    runs.rows("SELECT key FROM raw.basic"));
        }
    }

    @Test
    void oauth2ClientCredentialsFetchesATokenOnceAndAgainWhenRefused() throws Exception {
        AtomicInteger tokens = new AtomicInteger();
        try (ApiServer server = new ApiServer()) {
            server.route("/oauth/token", request -> {
                boolean valid = request.body().contains("grant_type=client_credentials") && request.body().contains("client_id=sluice")
                        && request.body().contains("client_secret=cl1ent-secret") && request.body().contains("audience=api");
                return valid ? ApiServer.Answer.json(Map.of("access_token", "token-" + tokens.incrementAndGet(), "expires_in", 3600))
                        : ApiServer.Answer.json(401, Map.of("error", "invalid_client"), Map.of());
            });
            // Page 3 refuses the first token, as an API that revoked it would.
            server.route("/orders", request -> {
                int page = Integer.parseInt(request.query().getOrDefault("page", "1"));
                if (page == 3 && "Bearer token-1".equals(request.header("Authorization"))) {
                    return ApiServer.Answer.json(401, Map.of("error", "expired"), Map.of());
                }
                return ApiServer.Answer.json(Map.of("data", page > 3 ? List.of() : List.of(Map.of("id", page))));
            });
            RestRuns runs = new RestRuns(SECRETS);
            runs.run("""
                    base_url: "%s"
                    auth:
                      oauth2_client_credentials:
                        access_token_url: "%soauth/token"
                        client_id: sluice
                        client_secret: client-secret
                        access_token_request_data: { audience: api }
                    resources:
                      - name: orders
                        paginator: { page_number: { base_page: 1 } }
                    """.formatted(server.url(), server.url()));
            assertEquals(List.of(List.of("3", "3")), runs.rows("SELECT count(*), max(id) FROM raw.orders"));
            assertEquals(2, tokens.get(), "one token for pages 1 and 2, a second when page 3 refused the first");
        }
    }

    @Test
    void anOauth2TokenIsFetchedAgainBeforeItExpires() throws Exception {
        AtomicInteger tokens = new AtomicInteger();
        try (ApiServer server = new ApiServer()) {
            // Lives 2 seconds, so it is fetched again after 1: before each page, as each page takes longer.
            server.route("/token", request -> ApiServer.Answer.json(Map.of("access_token", "short-" + tokens.incrementAndGet(), "expires_in", 2)));
            server.route("/slow", request -> {
                Thread.sleep(1_100);
                int page = Integer.parseInt(request.query().get("page"));
                return ApiServer.Answer.json(Map.of("data", page >= 3 ? List.of() : List.of(Map.of("token", request.header("Authorization")))));
            });
            RestRuns runs = new RestRuns(SECRETS);
            runs.run("""
                    base_url: "%s"
                    auth: { oauth2_client_credentials: { access_token_url: "%stoken", client_id: sluice, client_secret: client-secret } }
                    resources: [ { name: slow, paginator: { page_number: {} } } ]
                    """.formatted(server.url(), server.url()));
            assertEquals(List.of(List.of("Bearer short-1"), List.of("Bearer short-2"), List.of("Bearer short-3")),
                    runs.rows("SELECT token FROM raw.slow ORDER BY token"));
        }
    }

    @Test
    void redirectsAreFollowedOnTheSameHostOnly() throws Exception {
        try (ApiServer server = new ApiServer()) {
            server.route("/old", request -> new ApiServer.Answer(301, Map.of("Location", "/new?page=1"), ""));
            server.route("/new", request -> ApiServer.Answer.json(List.of(Map.of("token", String.valueOf(request.header("Authorization"))))));
            server.route("/away", request -> new ApiServer.Answer(302, Map.of("Location",
                    server.url().replace("127.0.0.1", "localhost") + "new"), ""));
            RestRuns runs = new RestRuns(SECRETS);
            runs.run("""
                    base_url: "%s"
                    auth: { bearer: { token_secret: api-token } }
                    resources: [ { name: old } ]
                    """.formatted(server.url()));
            assertEquals(List.of(List.of("Bearer t0ken-value")), runs.rows("SELECT token FROM raw.old"));
            SourceException away = assertThrows(SourceException.class, () -> runs.run("""
                    base_url: "%s"
                    auth: { bearer: { token_secret: api-token } }
                    resources: [ { name: away } ]
                    """.formatted(server.url())));
            assertTrue(away.getMessage().contains("HTTP 302 redirects to http://localhost:"), away.getMessage());
            assertEquals(1, server.seen("/new").size(), "the credentials never went to the other host");
        }
    }

    @Test
    void refusedCredentialsFailNamingTheUrlNeverTheSecret() throws Exception {
        try (ApiServer server = new ApiServer()) {
            server.route("/private", request -> ApiServer.Answer.json(401, Map.of("error", "bad token"), Map.of()));
            RestRuns runs = new RestRuns(SECRETS);
            SourceException failure = assertThrows(SourceException.class, () -> runs.run("""
                    base_url: "%s"
                    auth: { api_key: { name: api_key, key_secret: api-key, location: QUERY } }
                    resources: [ { name: private } ]
                    """.formatted(server.url())));
            assertTrue(failure.getMessage().startsWith("GET " + server.url() + "private: HTTP 401 unauthorized"), failure.getMessage());
            assertFalse(failure.getMessage().contains("k3y-value"), failure.getMessage());
            assertFalse(failure.transientFailure(), "a refusal is not retried");
            assertEquals(1, server.seen("/private").size());
        }
    }
}
