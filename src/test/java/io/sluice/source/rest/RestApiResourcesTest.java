package io.sluice.source.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.source.SourceException;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.PostgresPassword;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Child resources, incremental windows pushed into params, and response actions, rows checked in DuckDB. */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
@QuarkusTestResource(PostgresPassword.class)
class RestApiResourcesTest {
    @Test
    void aChildTakesEachParentItemsFieldsAndCopiesTheOnesItIncludes() throws Exception {
        try (ApiServer server = new ApiServer()) {
            server.route("/issues", request -> ApiServer.Answer.json(List.of(
                    Map.of("number", 1, "title", "crash", "user", Map.of("login", "ada")),
                    Map.of("number", 2, "title", "typo", "user", Map.of("login", "grace")),
                    Map.of("number", 3, "title", "gone", "user", Map.of("login", "alan")))));
            server.route("/issues/", request -> {
                String number = request.path().split("/")[2];
                return switch (number) {
                    case "1" -> ApiServer.Answer.json(List.of(Map.of("id", 10, "body", "seen"), Map.of("id", 11, "body", "me too")));
                    case "2" -> ApiServer.Answer.json(List.of(Map.of("id", 20, "body", "fixed")));
                    default -> ApiServer.Answer.json(404, Map.of("message", "Not Found"), Map.of());
                };
            });
            server.route("/comments/", request -> ApiServer.Answer.json(List.of(Map.of("emoji", "+1", "comment", request.path().split("/")[2]))));
            RestRuns runs = new RestRuns(Map.of());
            runs.run("""
                    base_url: "%s"
                    paginator: { single_page: {} }
                    resources:
                      - name: issues
                        primary_key: [number]
                      - name: comments
                        endpoint:
                          path: "issues/{resources.issues.number}/comments"
                          response_actions: [ { status_code: 404, action: IGNORE } ]
                        include_from_parent: [number, user.login]
                      - name: reactions
                        endpoint:
                          path: "comments/{resources.comments.id}/reactions"
                        include_from_parent: [id]
                    """.formatted(server.url()));
            assertEquals(List.of(List.of("10", "10"), List.of("11", "11"), List.of("20", "20")),
                    runs.rows("SELECT comment, comments_id FROM raw.reactions ORDER BY comment"), "a grandchild: one walk per comment");
            assertEquals(List.of(List.of("10", "1", "ada"), List.of("11", "1", "ada"), List.of("20", "2", "grace")),
                    runs.rows("SELECT id, issues_number, issues_user_login FROM raw.comments ORDER BY id"),
                    "issue 3's comments answer 404, which the response action reads as none");
            assertEquals(List.of(List.of("3")), runs.rows("SELECT count(*) FROM raw.issues"));
        }
    }

    @Test
    void aResponseActionMatchingTheBodyFailsTheRunAnd404FailsWithoutOne() throws Exception {
        try (ApiServer server = new ApiServer()) {
            server.route("/maintenance", request -> ApiServer.Answer.json(Map.of("status", "down for maintenance", "data", List.of())));
            server.route("/missing", request -> ApiServer.Answer.json(404, Map.of("message", "Not Found"), Map.of()));
            RestRuns runs = new RestRuns(Map.of());
            SourceException matched = assertThrows(SourceException.class, () -> runs.run("""
                    base_url: "%s"
                    resources:
                      - name: maintenance
                        endpoint: { response_actions: [ { content: "maintenance", action: FAIL } ] }
                    """.formatted(server.url())));
            assertTrue(matched.getMessage().contains(server.url() + "maintenance: HTTP 200, which a response action of resource"
                    + " 'maintenance' fails on"), matched.getMessage());
            SourceException missing = assertThrows(SourceException.class, () -> runs.run("""
                    base_url: "%s"
                    resources: [ { name: missing } ]
                    """.formatted(server.url())));
            assertTrue(missing.getMessage().startsWith("GET " + server.url() + "missing: HTTP 404 (resource 'missing')"), missing.getMessage());
        }
    }

    @Test
    void theIncrementalWindowIsPushedIntoParamsAndTheNextRunStartsAtTheStoredCursor() throws Exception {
        List<Map<String, Object>> events = List.of(
                Map.of("id", 1, "updated_at", "2024-01-01T00:00:00Z"),
                Map.of("id", 2, "updated_at", "2024-02-01T00:00:00Z"),
                Map.of("id", 3, "updated_at", "2024-03-01T00:00:00Z"));
        AtomicInteger served = new AtomicInteger(2);
        try (ApiServer server = new ApiServer()) {
            server.route("/events", request -> {
                String since = request.query().get("since");
                return ApiServer.Answer.json(events.subList(0, served.get()).stream()
                        .filter(event -> ((String) event.get("updated_at")).compareTo(since) >= 0).toList());
            });
            RestRuns runs = new RestRuns(Map.of());
            String spec = """
                    base_url: "%s"
                    resources:
                      - name: events
                        endpoint: { params: { since: "{incremental.start_value}", until: "{incremental.end_value}" } }
                        incremental: { cursor_path: updated_at, initial_value: "2024-01-15T00:00:00Z" }
                        primary_key: [id]
                        write_disposition: MERGE
                    """.formatted(server.url());
            runs.run(spec);
            assertEquals(Map.of("since", "2024-01-15T00:00:00Z"), server.seen("/events").getFirst().query(),
                    "the start pushed down; no end, so no until");
            served.set(3);
            runs.run(spec);
            assertEquals("2024-02-01T00:00:00Z", server.seen("/events").get(1).query().get("since"), "from the stored cursor");
            assertEquals(List.of(List.of("2"), List.of("3")), runs.rows("SELECT id FROM raw.events ORDER BY id"));
        }
    }

    @Test
    void aChildOfAnIncrementalParentReadsOnlyTheChildrenOfParentsChangedSinceItsLastRun() throws Exception {
        List<Map<String, Object>> issues = new CopyOnWriteArrayList<>(List.of(
                Map.of("number", 1, "updated_at", "2024-01-01T00:00:00Z"),
                Map.of("number", 2, "updated_at", "2024-02-01T00:00:00Z")));
        try (ApiServer server = new ApiServer()) {
            server.route("/issues", request -> ApiServer.Answer.json(issues.stream()
                    .filter(issue -> ((String) issue.get("updated_at")).compareTo(request.query().getOrDefault("since", "")) >= 0).toList()));
            server.route("/issues/", request -> {
                String number = request.path().split("/")[2];
                return ApiServer.Answer.json(List.of(Map.of("id", number + "-" + server.seen(request.path()).size())));
            });
            RestRuns runs = new RestRuns(Map.of());
            String spec = """
                    base_url: "%s"
                    paginator: { single_page: {} }
                    resources:
                      - name: issues
                        endpoint: { params: { since: "{incremental.start_value}" } }
                        incremental: { cursor_path: updated_at, initial_value: "2024-01-01T00:00:00Z" }
                        primary_key: [number]
                        write_disposition: MERGE
                      - name: comments
                        endpoint: { path: "issues/{resources.issues.number}/comments" }
                        include_from_parent: [number]
                    """.formatted(server.url());
            runs.run(spec);
            issues.set(0, Map.of("number", 1, "updated_at", "2024-03-01T00:00:00Z"));
            issues.add(Map.of("number", 3, "updated_at", "2024-03-02T00:00:00Z"));
            runs.run(spec);
            assertEquals(List.of("2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", "2024-02-01T00:00:00Z"),
                    server.seen("/issues").stream().map(request -> request.query().get("since")).toList(),
                    "the child's walk of its parent starts where the child stopped, as the parent's own does");
            assertEquals(List.of(List.of("1-1", "1"), List.of("1-2", "1"), List.of("2-1", "2"), List.of("2-2", "2"), List.of("3-1", "3")),
                    runs.rows("SELECT id, issues_number FROM raw.comments ORDER BY id"),
                    "the second run reads the comments of issue 1 (changed), 3 (new) and 2 (at the stored cursor, inclusive)");
            runs.run(spec);
            assertEquals(2, server.seen("/issues/3/comments").size(), "issue 3, at the stored cursor, read again");
            assertEquals(2, server.seen("/issues/1/comments").size(), "issue 1, unchanged since, not read again");
        }
    }

    @Test
    void aRunReadsPagesPerRunAndTheNextContinuesFromTheKeptPageEvenAfterAFailedRun() throws Exception {
        AtomicInteger failPage = new AtomicInteger(-1);
        try (ApiServer server = new ApiServer()) {
            server.route("/history", request -> {
                int page = Integer.parseInt(request.query().get("page"));
                if (page == failPage.get()) {
                    return ApiServer.Answer.json(400, Map.of("error", "not now"), Map.of());
                }
                return ApiServer.Answer.json(Map.of("data", page >= 5 ? List.of() : List.of(Map.of("id", page * 2), Map.of("id", page * 2 + 1))));
            });
            RestRuns runs = new RestRuns(Map.of());
            String spec = """
                    base_url: "%s"
                    resources:
                      - name: history
                        endpoint: { pages_per_run: 2 }
                        paginator: { page_number: {} }
                    """.formatted(server.url());
            runs.run(spec);
            assertEquals(List.of(List.of("4", "3")), runs.rows("SELECT count(*), max(id) FROM raw.history"), "pages 0 and 1");
            failPage.set(3);
            assertThrows(SourceException.class, () -> runs.run(spec), "page 3 fails after page 2 was read");
            failPage.set(-1);
            runs.run(spec);
            assertEquals(List.of(List.of("8", "8", "7")), runs.rows("SELECT count(*), count(DISTINCT id), max(id) FROM raw.history"),
                    "pages 2 and 3: the failed run committed nothing, and the next went on from page 2");
            runs.run(spec);
            assertEquals(List.of(List.of("10", "9")), runs.rows("SELECT count(*), max(id) FROM raw.history"), "page 4, and the empty 5 ends the walk");
            runs.run(spec);
            List<ApiServer.Seen> seen = server.seen("/history");
            assertEquals(List.of("0", "1"), seen.subList(seen.size() - 2, seen.size()).stream().map(request -> request.query().get("page"))
                    .toList(), "the walk started over");
        }
    }

    @Test
    void resourcesAreRequestedAtOnceUpToTheSourcesLimit() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (ApiServer server = new ApiServer()) {
            ApiServer.Route slow = request -> {
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                Thread.sleep(300);
                inFlight.decrementAndGet();
                return ApiServer.Answer.json(List.of(Map.of("id", 1)));
            };
            for (String name : List.of("/a", "/b", "/c", "/d")) {
                server.route(name, slow);
            }
            RestRuns runs = new RestRuns(Map.of());
            runs.run("""
                    base_url: "%s"
                    client: { max_concurrent_resources: 1 }
                    resources: [ { name: a }, { name: b }, { name: c }, { name: d } ]
                    """.formatted(server.url()));
            assertEquals(1, most.get(), "one resource at a time");
            assertEquals(List.of(List.of("1")), runs.rows("SELECT count(*) FROM raw.d"));
        }
    }
}
