package io.sluice.observability;

import static io.sluice.testing.PrometheusSamples.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.pipeline.SpecReader;
import io.sluice.proto.v1.CreatePipelineRequest;
import io.sluice.proto.v1.GetRunRequest;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.Run;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.proto.v1.RunState;
import io.sluice.proto.v1.TriggerRunRequest;
import io.sluice.testing.Await;
import io.sluice.testing.FreshDataDirectory;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Runs triggered over gRPC — one loading from a local REST API, one failing on it — then what the service exports about
 * them: the Prometheus metrics scraped over HTTP, the spans of the traced run, and the health endpoints.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
class ObservabilityTest {
    private static final Duration RUN_DEADLINE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @GrpcClient("sluice")
    PipelineServiceGrpc.PipelineServiceBlockingStub pipelines;

    @GrpcClient("sluice")
    RunServiceGrpc.RunServiceBlockingStub runs;

    @Inject
    InMemorySpanExporter spans;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @TestHTTPResource("/q/health")
    URI health;

    @Test
    void runsAreCountedTimedAndTraced() throws Exception {
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/items", exchange -> {
            byte[] body = "[{\"id\": 1}, {\"id\": 2}, {\"id\": 3}]".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        api.createContext("/down", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        api.start();
        try {
            String host = "127.0.0.1:" + api.getAddress().getPort();
            register("metered", host, "items", "");
            register("failing", host, "down", "retries: { max_attempts: 2, backoff: 10ms }\n");
            spans.reset();

            Run completed = endedRun(runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("metered").build()).getId());
            assertEquals(RunState.COMPLETED, completed.getState(), completed.getError());
            Run failed = endedRun(runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("failing").build()).getId());
            assertEquals(RunState.FAILED, failed.getState());

            String scraped = get(metrics).body();
            assertEquals(1.0, sample(scraped, "sluice_runs_total", Map.of("pipeline", "metered", "state", "COMPLETED")), scraped);
            assertEquals(1.0, sample(scraped, "sluice_runs_total", Map.of("pipeline", "failing", "state", "FAILED")), scraped);
            assertEquals(3.0, sample(scraped, "sluice_rows_loaded_total", Map.of("pipeline", "metered", "table", "items")), scraped);
            assertTrue(sample(scraped, "sluice_bytes_loaded_total", Map.of("pipeline", "metered", "table", "items")) > 0, scraped);
            assertEquals(1.0, sample(scraped, "sluice_run_retries_total", Map.of("pipeline", "failing")), scraped);
            assertEquals(1.0, sample(scraped, "sluice_run_duration_seconds_count", Map.of("pipeline", "metered", "state", "COMPLETED")), scraped);
            for (String stage : List.of("extract", "normalize", "load")) {
                assertEquals(1.0, sample(scraped, "sluice_stage_duration_seconds_count", Map.of("pipeline", "metered", "stage", stage)), scraped);
            }
            assertEquals(1.0, sample(scraped, "sluice_source_request_seconds_count", Map.of("host", host, "outcome", "success")), scraped);
            // Two attempts of the run, each trying the request three times (the client's default retries).
            assertEquals(6.0, sample(scraped, "sluice_source_request_seconds_count", Map.of("host", host, "outcome", "server_error")), scraped);
            assertEquals(0.0, sample(scraped, "sluice_runs_active", Map.of()), scraped);
            assertEquals(0.0, sample(scraped, "sluice_runs_queued", Map.of()), scraped);
            assertEquals(0.0, sample(scraped, "sluice_run_slots", Map.of("state", "used")), scraped);
            assertTrue(sample(scraped, "sluice_run_slots", Map.of("state", "free")) >= 1, scraped);
            assertEquals(0.0, sample(scraped, "sluice_limit_slots", Map.of("limit", "global", "state", "used")), scraped);
            assertEquals(0.0, sample(scraped, "sluice_limit_slots", Map.of("limit", "global", "state", "waiting")), scraped);
            assertEquals(1.0, sample(scraped, "sluice_limit_slots", Map.of("limit", "shared-api", "state", "free")), scraped);

            List<SpanData> finished = Await.until("the spans of run " + completed.getId(), RUN_DEADLINE, spans::getFinishedSpanItems,
                    items -> items.stream().anyMatch(span -> span.getName().equals("run metered")));
            SpanData runSpan = finished.stream().filter(span -> span.getName().equals("run metered")).findFirst().orElseThrow();
            assertEquals(completed.getId(), runSpan.getAttributes().asMap().entrySet().stream()
                    .filter(entry -> entry.getKey().getKey().equals("sluice.run.id")).findFirst().orElseThrow().getValue());
            Set<String> stages = Await.until("the stage spans of run " + completed.getId(), RUN_DEADLINE, () -> spans.getFinishedSpanItems().stream()
                            .filter(span -> span.getParentSpanId().equals(runSpan.getSpanId())).map(SpanData::getName).collect(Collectors.toSet()),
                    names -> names.size() == 3);
            assertEquals(Set.of("extract", "normalize", "load"), stages);
            SpanData triggerCall = spans.getFinishedSpanItems().stream()
                    .filter(span -> span.getKind() == SpanKind.SERVER && span.getName().endsWith("RunService/TriggerRun")
                            && span.getSpanId().equals(runSpan.getParentSpanId()))
                    .findFirst().orElseThrow(() -> new AssertionError("the run's span is not a child of the TriggerRun call's span: "
                            + spans.getFinishedSpanItems()));
            assertEquals(triggerCall.getTraceId(), runSpan.getTraceId(), "the run is in the trace of the call that triggered it");
        } finally {
            api.stop(0);
        }
    }

    @Test
    void healthSaysLiveAndReady() throws Exception {
        for (String endpoint : List.of("live", "ready")) {
            HttpResponse<String> answer = get(URI.create(health + "/" + endpoint));
            JsonNode body = JSON.readTree(answer.body());
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals("UP", body.path("status").asText(), answer.body());
            Map<String, String> checks = StreamSupport.stream(body.path("checks").spliterator(), false)
                    .collect(Collectors.toMap(check -> check.path("name").asText(), check -> check.path("status").asText()));
            Set<String> ours = endpoint.equals("live") ? Set.of("run executor") : Set.of("catalog", "run executor", "served pipelines");
            ours.forEach(check -> assertEquals("UP", checks.get(check), check + " in " + answer.body()));
        }
    }

    private void register(String name, String host, String path, String more) {
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(SpecReader.parse("""
                name: %s
                %ssource:
                  rest_api:
                    base_url: "http://%s/"
                    client: { retries: { max_attempts: 3, backoff: 10ms, max_backoff: 10ms } }
                    resources: [ { name: %s } ]
                destination: { duckdb: { path: %s.duckdb }, dataset: raw }
                """.formatted(name, more, host, path, name), name)).build());
    }

    private Run endedRun(String id) throws Exception {
        return Await.until("run " + id + " to end", RUN_DEADLINE, () -> runs.getRun(GetRunRequest.newBuilder().setRunId(id).build()),
                run -> Set.of(RunState.COMPLETED, RunState.FAILED, RunState.CANCELLED, RunState.CRASHED).contains(run.getState()));
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
