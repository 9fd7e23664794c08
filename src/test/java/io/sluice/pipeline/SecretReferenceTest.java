package io.sluice.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The one rule of what a secret name is, and every credential field of the spec: a literal credential where a secret's
 * name belongs is refused with its field path, and never repeated in the problem.
 */
class SecretReferenceTest {
    /** Looks like nothing else in a spec, so that a problem repeating it is found. */
    private static final String LITERAL = "Lit3ralCred8f2c1a9e7b";

    private static Map<String, String> problems(String yaml) {
        return PipelineSpecs.problems(SpecReader.parse(yaml, "test")).stream()
                .collect(Collectors.toMap(Problem::field, Problem::description, (first, second) -> first + "; " + second, TreeMap::new));
    }

    private static void assertNotEchoed(Map<String, String> problems) {
        assertFalse(problems.toString().contains(LITERAL) || problems.toString().contains(LITERAL.toLowerCase()),
                "a credential is never repeated: " + problems);
    }

    @Test
    void namesAreShortWordsNotKeysOrTokens() {
        for (String name : List.of("pg-password", "github-token", "pii.salt_v2", "oauth2-client-secret", "db-2024-password", "S3_KEY",
                "slack-data-alerts", "a")) {
            assertTrue(SecretReference.isName(name), name);
            assertEquals(name, new SecretReference(name).name());
        }
        for (String notName : List.of("", "-x", ".hidden", "../outside", "hunter2 !", "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl", "3f2a9c0b7d1e4f5a6b7c8d9e0f1a2b3c",
                "f47ac10b-58cc-4372-a567-0e02b2c3d479", "sk_0123456789ab_" + "0".repeat(64), "n".repeat(64), "pass/word", "x=y")) {
            assertFalse(SecretReference.isName(notName), notName);
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new SecretReference(notName));
            assertFalse(!notName.isEmpty() && refused.getMessage().contains(notName), refused.getMessage());
        }
    }

    @Test
    void everySecretFieldRefusesACredential() {
        Map<String, String> rest = problems("""
                name: rest
                source:
                  rest_api:
                    base_url: https://api.example.com/
                    auth: { bearer: { token_secret: "ghp_%1$s" } }
                    resources: [ { name: a } ]
                destination: { postgres: { host: db, database: shop, password_secret: "%1$s" } }
                """.formatted(LITERAL));
        assertEquals(List.of("destination.postgres.password_secret", "source.rest_api.auth.bearer.token_secret"), List.copyOf(rest.keySet()));
        assertTrue(rest.get("source.rest_api.auth.bearer.token_secret").startsWith("must name a secret, not hold the credential"),
                rest.toString());
        assertNotEchoed(rest);
        for (String auth : List.of("basic: { username: ada, password_secret: \"%s\" }", "api_key: { name: X-Key, key_secret: \"%s\" }",
                "oauth2_client_credentials: { access_token_url: \"https://auth.example.com/token\", client_id: me, client_secret: \"%s\" }")) {
            Map<String, String> problems = problems("""
                    name: rest
                    source: { rest_api: { base_url: "https://api.example.com/", auth: { %s }, resources: [ { name: a } ] } }
                    destination: { duckdb: { path: x.duckdb } }
                    """.formatted(auth.formatted(LITERAL)));
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.keySet().iterator().next().matches("source\\.rest_api\\.auth\\.\\w+\\.(password_secret|key_secret|client_secret)"),
                    problems.toString());
            assertNotEchoed(problems);
        }
    }

    @Test
    void aDatabaseUrlOrHostWithCredentialsIsRefused() {
        for (String url : List.of("jdbc:postgresql://db:5432/shop?user=reader&password=%s", "jdbc:postgresql://db/shop?sslpassword=%s",
                "jdbc:mysql://reader:%s@db:3306/shop", "jdbc:mariadb://address=(host=db)(port=3306)(password=%s)/shop",
                "jdbc:mariadb://db/shop;pwd=%s", "jdbc:duckdb:md:shop?motherduck_token=%s")) {
            Map<String, String> problems = problems("""
                    name: sql
                    source: { sql_database: { url: "%s", username: reader } }
                    destination: { duckdb: { path: x.duckdb } }
                    """.formatted(url.formatted(LITERAL)));
            assertEquals(List.of("source.sql_database.url"), List.copyOf(problems.keySet()), url);
            assertTrue(problems.get("source.sql_database.url").startsWith("must not hold a credential"), problems.toString());
            assertNotEchoed(problems);
        }
        Map<String, String> destination = problems("""
                name: pg
                source: { filesystem: { resources: [ { name: a, glob: "*.csv" } ] } }
                destination: { postgres: { host: "loader:%1$s@db", database: "shop?password=%1$s" } }
                """.formatted(LITERAL));
        assertEquals(List.of("destination.postgres.database", "destination.postgres.host"), List.copyOf(destination.keySet()));
        assertNotEchoed(destination);
        assertEquals(Map.of(), problems("""
                name: sql
                source: { sql_database: { url: "jdbc:postgresql://db:5432/shop?sslmode=require&ApplicationName=x", username: reader,
                                          password_secret: shop-db-password } }
                destination: { duckdb: { path: x.duckdb } }
                """), "parameters that are not credentials are fine");
    }

    @Test
    void restHeadersParamsBodiesAndUrlsCarryNoCredentials() {
        Map<String, String> problems = problems("""
                name: rest
                source:
                  rest_api:
                    base_url: "https://api.example.com/?api_key=%1$s"
                    headers: { Authorization: "token %1$s", Accept: application/json }
                    params: { access_token: "%1$s", per_page: "50", sort_key: id, author: ada, page_token: first }
                    auth:
                      oauth2_client_credentials:
                        access_token_url: "https://auth.example.com/token?client_secret=%1$s"
                        client_id: me
                        client_secret: client-secret
                        access_token_request_data: { audience: api, password: "%1$s" }
                    resources:
                      - name: a
                        endpoint:
                          path: "https://me:%1$s@other.example.com/items"
                          method: POST
                          headers: { X-Api-Key: "%1$s", X-Trace: "Bearer %1$s" }
                          params: { apiKey: "%1$s" }
                          json: { login: { user: ada, password: "%1$s" }, limit: 10 }
                destination: { duckdb: { path: x.duckdb } }
                """.formatted(LITERAL));
        String rest = "source.rest_api.";
        assertEquals(List.of(rest + "auth.oauth2_client_credentials.access_token_request_data.password",
                rest + "auth.oauth2_client_credentials.access_token_url", rest + "base_url", rest + "headers.Authorization",
                rest + "params.access_token", rest + "resources[0].endpoint.headers.X-Api-Key", rest + "resources[0].endpoint.headers.X-Trace",
                rest + "resources[0].endpoint.json.login.password", rest + "resources[0].endpoint.params.apiKey",
                rest + "resources[0].endpoint.path"), List.copyOf(problems.keySet()));
        assertTrue(problems.get(rest + "params.access_token").contains("put it in auth"), problems.toString());
        assertNotEchoed(problems);
    }

    @Test
    void theSpecRecordsHoldOnlyNames() {
        assertThrows(IllegalArgumentException.class, () -> new RestAuth.Bearer("ghp_" + LITERAL));
        assertThrows(IllegalArgumentException.class, () -> new PostgresDestinationSpec("db", 5432, "shop", "loader", Optional.of("a b")));
        assertEquals("pg-password", new PostgresDestinationSpec("db", 5432, "shop", "loader", Optional.of("pg-password"))
                .passwordSecret().orElseThrow());
    }
}
