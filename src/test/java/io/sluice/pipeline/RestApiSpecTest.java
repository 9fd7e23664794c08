package io.sluice.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A rest_api source as the spec mapper reads it: defaults taken by each endpoint, every problem with its field path. */
class RestApiSpecTest {
    private static io.sluice.proto.v1.Pipeline pipeline(String source) {
        return SpecReader.parse("name: rest\nsource:\n  rest_api:\n" + source.indent(4)
                + "destination: { duckdb: { path: rest.duckdb } }\n", "test");
    }

    private static Map<String, String> problems(String source) {
        return PipelineSpecs.problems(pipeline(source)).stream()
                .collect(Collectors.toMap(Problem::field, Problem::description, (first, second) -> first + "; " + second));
    }

    @Test
    void endpointsTakeTheSourcesDefaultsAndOverrideThem() {
        RestApiSourceSpec spec = (RestApiSourceSpec) PipelineSpecs.toSpec(pipeline("""
                base_url: https://api.example.com/v1/
                auth: { bearer: { token_secret: api-token } }
                headers: { Accept-Language: en }
                params: { per_page: "100" }
                paginator: { header_link: {} }
                resources:
                  - name: users
                  - name: posts
                    endpoint: { path: "users/{resources.users.id}/posts", params: { per_page: "10" } }
                    paginator: { offset: { limit: 10 } }
                """), "test").source();
        RestApiSourceSpec.RestResource users = spec.resource("users");
        assertEquals("users", users.endpoint().path(), "a resource without a path requests its name");
        assertEquals(new PaginatorSpec.HeaderLink("next"), users.paginator());
        assertEquals(Map.of("per_page", "100"), users.endpoint().params());
        RestApiSourceSpec.RestResource posts = spec.resource("posts");
        assertEquals(Map.of("per_page", "10"), posts.endpoint().params());
        assertEquals(Map.of("Accept-Language", "en"), posts.endpoint().headers());
        assertEquals(Optional.of("users"), posts.parent());
        assertInstanceOf(PaginatorSpec.Offset.class, posts.paginator());
        assertEquals(new RestAuth.Bearer("api-token"), spec.auth().orElseThrow());
        assertEquals(RestApiSourceSpec.RestClientPolicy.DEFAULT_RETRIES, spec.client().retries());
    }

    @Test
    void everyProblemIsReportedWithItsFieldPath() {
        Map<String, String> problems = problems("""
                base_url: "https://user:secret@api.example.com/"
                auth: { bearer: { token_secret: "ghp_not a secret name" } }
                client: { timeout: soon, circuit_breaker: { failure_ratio: 2 } }
                resources:
                  - name: comments
                    endpoint:
                      path: "issues/{resources.issues.number}/comments"
                      method: DELETE
                      data_selector: "$[?(@"
                      response_actions: [ { action: IGNORE } ]
                    include_from_parent: [number]
                  - name: issues
                    endpoint: { params: { since: "{incremental.start_value}", page: "{page}" } }
                    paginator: { offset: {} }
                    glob: "*.json"
                """);
        String prefix = "source.rest_api.";
        assertEquals(List.of(prefix + "auth.bearer.token_secret", prefix + "base_url", prefix + "client.circuit_breaker.failure_ratio",
                        prefix + "client.timeout", prefix + "resources[0].endpoint", prefix + "resources[0].endpoint.data_selector",
                        prefix + "resources[0].endpoint.method", prefix + "resources[0].endpoint.response_actions[0]",
                        prefix + "resources[0].include_from_parent", prefix + "resources[1].endpoint",
                        prefix + "resources[1].endpoint.params.page", prefix + "resources[1].glob", prefix + "resources[1].paginator.offset.limit"),
                problems.keySet().stream().sorted().toList(), problems.toString());
        assertEquals("takes values of resource 'issues', which must be declared before 'comments'", problems.get(prefix + "resources[0].endpoint"));
        assertEquals("uses {incremental.…} placeholders, but the resource has no incremental", problems.get(prefix + "resources[1].endpoint"));
        assertFalse(problems.toString().contains("secret@") || problems.toString().contains("ghp_"), "no credential is echoed");
    }
}
