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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Each paginator against a local API of 7 records in pages of 3, the records found by selector or detection. */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
@QuarkusTestResource(PostgresPassword.class)
class RestApiPaginationTest {
    private static final int RECORDS = 7;
    private static final int PAGE = 3;

    private static List<Map<String, Object>> slice(int from) {
        return IntStream.range(from, Math.min(from + PAGE, RECORDS)).<Map<String, Object>>mapToObj(id -> Map.of("id", id)).toList();
    }

    private static void loadsAllSeven(RestRuns runs, String table) {
        assertEquals(List.of(List.of("7", "7", "0", "6")), runs.rows("SELECT count(*), count(DISTINCT id), min(id), max(id) FROM raw." + table));
    }

    @Test
    void jsonLinkAndHeaderLinkFollowTheNextUrl() throws Exception {
        try (ApiServer server = new ApiServer()) {
            server.route("/body-links", request -> {
                int from = Integer.parseInt(request.query().getOrDefault("from", "0"));
                return ApiServer.Answer.json(Map.of("data", Map.of("items", slice(from)),
                        "links", from + PAGE < RECORDS ? Map.of("next", "/body-links?from=" + (from + PAGE)) : Map.of()));
            });
            server.route("/header-links", request -> {
                int from = Integer.parseInt(request.query().getOrDefault("from", "0"));
                Map<String, String> headers = from + PAGE < RECORDS ? Map.of("Link", "<" + server.url() + "header-links?from=" + (from + PAGE)
                        + ">; rel=\"next\", <" + server.url() + "header-links?from=6>; rel=\"last\"") : Map.of();
                return ApiServer.Answer.json(200, slice(from), headers);
            });
            RestRuns runs = new RestRuns(Map.of());
            runs.run("""
                    base_url: "%s"
                    resources:
                      - name: body-links
                        endpoint: { data_selector: "data.items" }
                        paginator: { json_link: { next_url_path: "links.next" } }
                      - name: header-links
                        paginator: { header_link: {} }
                    """.formatted(server.url()));
            loadsAllSeven(runs, "body_links");
            loadsAllSeven(runs, "header_links");
            assertEquals(3, server.seen("/header-links").size());
        }
    }

    @Test
    void offsetStopsAtTheTotalAndPageNumberAtHasMore() throws Exception {
        try (ApiServer server = new ApiServer()) {
            server.route("/offset", request -> ApiServer.Answer.json(Map.of("total", RECORDS,
                    "results", slice(Integer.parseInt(request.query().get("skip")))
                            .subList(0, Math.min(Integer.parseInt(request.query().get("take")), slice(Integer.parseInt(request.query().get("skip"))).size())))));
            server.route("/pages", request -> {
                int page = Integer.parseInt(request.query().get("p"));
                return ApiServer.Answer.json(Map.of("records", slice((page - 1) * PAGE), "meta", Map.of("has_more", page * PAGE < RECORDS)));
            });
            RestRuns runs = new RestRuns(Map.of());
            runs.run("""
                    base_url: "%s"
                    resources:
                      - name: offset
                        paginator: { offset: { limit: 3, offset_param: skip, limit_param: take, total_path: total } }
                      - name: pages
                        paginator: { page_number: { page_param: p, base_page: 1, has_more_path: "meta.has_more" } }
                    """.formatted(server.url()));
            loadsAllSeven(runs, "offset");
            loadsAllSeven(runs, "pages");
            assertEquals(3, server.seen("/offset").size(), "offsets 0, 3 and 6: the total says 9 is past the end");
            assertEquals(3, server.seen("/pages").size(), "has_more false on page 3");
        }
    }

    @Test
    void offsetAndPageNumberStopAtHasMoreAtTheirMaximumAtATotalOfPagesOrAfterAnEmptyPage() throws Exception {
        try (ApiServer server = new ApiServer()) {
            server.route("/offset-more", request -> {
                int offset = Integer.parseInt(request.query().get("offset"));
                return ApiServer.Answer.json(Map.of("items", slice(offset), "more", offset + PAGE < RECORDS));
            });
            server.route("/offset-capped", request -> ApiServer.Answer.json(slice(Integer.parseInt(request.query().get("offset")))));
            server.route("/offset-empty", request -> ApiServer.Answer.json(Map.of("items", slice(Integer.parseInt(request.query().get("offset"))))));
            server.route("/pages-total", request -> {
                int page = Integer.parseInt(request.query().get("page"));
                return ApiServer.Answer.json(Map.of("records", slice(page * PAGE), "page_count", 3));
            });
            server.route("/pages-capped", request -> ApiServer.Answer.json(Map.of("records", slice((Integer.parseInt(request.query().get("page")) - 1) * PAGE))));
            RestRuns runs = new RestRuns(Map.of());
            runs.run("""
                    base_url: "%s"
                    resources:
                      - name: offset-more
                        endpoint: { data_selector: items }
                        paginator: { offset: { limit: 3, has_more_path: more } }
                      - name: offset-capped
                        paginator: { offset: { limit: 3, maximum_offset: 6 } }
                      - name: offset-empty
                        endpoint: { data_selector: items }
                        paginator: { offset: { limit: 3 } }
                      - name: pages-total
                        paginator: { page_number: { total_path: page_count } }
                      - name: pages-capped
                        paginator: { page_number: { base_page: 1, maximum_page: 2 } }
                    """.formatted(server.url()));
            loadsAllSeven(runs, "offset_more");
            assertEquals(3, server.seen("/offset-more").size(), "more is false at offset 6");
            assertEquals(List.of(List.of("6", "0", "5")), runs.rows("SELECT count(*), min(id), max(id) FROM raw.offset_capped"));
            assertEquals(2, server.seen("/offset-capped").size(), "offsets 0 and 3: the next, 6, is the maximum");
            loadsAllSeven(runs, "offset_empty");
            assertEquals(4, server.seen("/offset-empty").size(), "offset 9 answers an empty page, the last asked for");
            loadsAllSeven(runs, "pages_total");
            assertEquals(3, server.seen("/pages-total").size(), "pages 0, 1 and 2 of a total of 3 pages");
            assertEquals(List.of(List.of("6", "0", "5")), runs.rows("SELECT count(*), min(id), max(id) FROM raw.pages_capped"));
            assertEquals(2, server.seen("/pages-capped").size(), "pages 1 and 2: the maximum page is asked for, not passed");
        }
    }

    @Test
    void aCursorGoesIntoAParamOrTheJsonBody() throws Exception {
        try (ApiServer server = new ApiServer()) {
            server.route("/cursor", request -> {
                int from = Integer.parseInt(request.query().getOrDefault("after", "0"));
                return ApiServer.Answer.json(Map.of("items", slice(from), "cursors", from + PAGE < RECORDS ? Map.of("next", from + PAGE) : Map.of()));
            });
            server.route("/search", request -> {
                java.util.regex.Matcher after = java.util.regex.Pattern.compile("\"after\":\"(\\d+)\"").matcher(request.body());
                int from = after.find() ? Integer.parseInt(after.group(1)) : 0;
                return ApiServer.Answer.json(Map.of("hits", slice(from), "next_token", from + PAGE < RECORDS ? String.valueOf(from + PAGE) : ""));
            });
            RestRuns runs = new RestRuns(Map.of());
            runs.run("""
                    base_url: "%s"
                    resources:
                      - name: cursor
                        paginator: { cursor: { cursor_param: after } }
                      - name: search
                        endpoint: { method: POST, json: { query: "*" } }
                        paginator: { cursor: { cursor_path: next_token, cursor_body_path: "page.after" } }
                    """.formatted(server.url()));
            loadsAllSeven(runs, "cursor");
            loadsAllSeven(runs, "search");
            assertTrue(server.seen("/search").get(1).body().contains("\"query\":\"*\""), "the body keeps its query");
        }
    }

    @Test
    void withoutAPaginatorTheLinksAreDetectedOrThereIsOnePage() throws Exception {
        try (ApiServer server = new ApiServer()) {
            server.route("/detected-header", request -> {
                int from = Integer.parseInt(request.query().getOrDefault("from", "0"));
                return ApiServer.Answer.json(200, slice(from), from + PAGE < RECORDS
                        ? Map.of("Link", "<" + server.url() + "detected-header?from=" + (from + PAGE) + ">; rel=\"next\"") : Map.of());
            });
            server.route("/detected-body", request -> {
                int from = Integer.parseInt(request.query().getOrDefault("from", "0"));
                Map<String, Object> body = new java.util.HashMap<>(Map.of("results", slice(from)));
                body.put("next", from + PAGE < RECORDS ? server.url() + "detected-body?from=" + (from + PAGE) : null);
                return ApiServer.Answer.json(body);
            });
            server.route("/single", request -> ApiServer.Answer.json(Map.of("count", 2, "entries", List.of(Map.of("id", 1), Map.of("id", 2)))));
            RestRuns runs = new RestRuns(Map.of());
            runs.run("""
                    base_url: "%s"
                    resources: [ { name: detected-header }, { name: detected-body }, { name: single } ]
                    """.formatted(server.url()));
            loadsAllSeven(runs, "detected_header");
            loadsAllSeven(runs, "detected_body");
            assertEquals(List.of(List.of("2")), runs.rows("SELECT count(*) FROM raw.single"));
            assertEquals(1, server.seen("/single").size());
        }
    }

    @Test
    void aPaginatorThatNeverEndsFailsTheRunNamingTheResource() throws Exception {
        try (ApiServer server = new ApiServer()) {
            server.route("/endless", request -> ApiServer.Answer.json(List.of(Map.of("id", 1))));
            RestRuns runs = new RestRuns(Map.of());
            SourceException pages = assertThrows(SourceException.class, () -> runs.run("""
                    base_url: "%s"
                    resources:
                      - name: endless
                        endpoint: { max_pages: 5 }
                        paginator: { page_number: { stop_after_empty_page: false } }
                    """.formatted(server.url())));
            assertTrue(pages.getMessage().startsWith("resource 'endless': more than 5 pages (endpoint.max_pages); the next would be "
                    + server.url() + "endless?page=5"), pages.getMessage());
            SourceException requests = assertThrows(SourceException.class, () -> runs.run("""
                    base_url: "%s"
                    client: { max_requests: 4 }
                    resources:
                      - name: endless
                        paginator: { offset: { limit: 1 } }
                    """.formatted(server.url())));
            assertTrue(requests.getMessage().startsWith("resource 'endless': more than 4 requests (client.max_requests)"), requests.getMessage());
        }
    }

    @Test
    void aPageRequestedAheadIsOneTheWalkReadsSoTheRequestsAreThePagesInOrder() throws Exception {
        int pages = 30;
        try (ApiServer server = new ApiServer()) {
            server.route("/numbered", request -> {
                int page = Integer.parseInt(request.query().get("page"));
                return ApiServer.Answer.json(Map.of("total_pages", pages, "data", List.of(Map.of("id", page))));
            });
            RestRuns runs = new RestRuns(Map.of());
            runs.run("""
                    base_url: "%s"
                    client: { max_requests: %d }
                    resources:
                      - name: numbered
                        paginator: { page_number: { total_path: total_pages } }
                    """.formatted(server.url(), pages));
            assertEquals(List.of(List.of("30", "30", "0", "29")), runs.rows("SELECT count(*), count(DISTINCT id), min(id), max(id) FROM raw.numbered"));
            assertEquals(IntStream.range(0, pages).mapToObj(Integer::toString).toList(),
                    server.seen("/numbered").stream().map(request -> request.query().get("page")).toList(),
                    "no page past the last, none twice, within max_requests");
        }
    }
}
