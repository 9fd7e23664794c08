package io.sluice.source.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.source.SourceConformance;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.PostgresPassword;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;

/**
 * The rest_api source passes the source suite against a local API that serves its rows two to a page behind JSON
 * links, from the {@code since} id on when asked. A Quarkus test, as the other REST tests, with their resources (one
 * Quarkus start for them all): the sender's fault tolerance needs SmallRye's implementation, which Quarkus provides.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
@QuarkusTestResource(PostgresPassword.class)
class RestApiConformanceTest extends SourceConformance {
    private static final int PAGE = 2;

    private final List<Map<String, Object>> rows = new CopyOnWriteArrayList<>();
    private volatile boolean broken;
    private final ApiServer server = server();

    @AfterEach
    void stop() {
        server.close();
    }

    @Override
    protected String source(boolean incremental) {
        return """
                rest_api:
                  base_url: "%s"
                  resources:
                    - name: items
                      endpoint: { path: items, data_selector: data%s }
                      paginator: { json_link: { next_url_path: next } }
                """.formatted(server.url(), incremental ? ", params: { since: \"{incremental.start_value}\" }" : "")
                + (incremental ? "      incremental: { cursor_path: id }\n      primary_key: [id]\n" : "      write_disposition: REPLACE\n");
    }

    @Override
    protected void add(List<Map<String, Object>> added) {
        rows.addAll(added);
    }

    @Override
    protected String breakSource() {
        broken = true;
        return server.url() + "items";
    }

    private ApiServer server() {
        try {
            return new ApiServer().route("/items", request -> {
                if (broken) {
                    return ApiServer.Answer.json(400, Map.of("error", "broken"), Map.of());
                }
                long since = Long.parseLong(request.query().getOrDefault("since", "0"));
                int from = Integer.parseInt(request.query().getOrDefault("from", "0"));
                List<Map<String, Object>> wanted = rows.stream().filter(row -> ((Number) row.get("id")).longValue() >= since).toList();
                Map<String, Object> body = new HashMap<>();
                body.put("data", wanted.subList(Math.min(from, wanted.size()), Math.min(from + PAGE, wanted.size())));
                body.put("next", from + PAGE < wanted.size() ? "items?since=" + since + "&from=" + (from + PAGE) : null);
                return ApiServer.Answer.json(body);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
