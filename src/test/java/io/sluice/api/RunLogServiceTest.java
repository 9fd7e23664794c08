package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.pipeline.SpecReader;
import io.sluice.proto.v1.CreatePipelineRequest;
import io.sluice.proto.v1.GetRunRequest;
import io.sluice.proto.v1.ListRunLogsRequest;
import io.sluice.proto.v1.ListRunLogsResponse;
import io.sluice.proto.v1.LogLine;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.Run;
import io.sluice.proto.v1.RunEvent;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.proto.v1.RunState;
import io.sluice.proto.v1.TriggerRunRequest;
import io.sluice.proto.v1.WatchRunRequest;
import io.sluice.runs.SluiceConfig;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.GatedApi;
import io.sluice.testing.PostgresPassword;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A run's log lines through the real gRPC API: live in WatchRun while it runs, then a page at a time from ListRunLogs. */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
@QuarkusTestResource(PostgresPassword.class)
class RunLogServiceTest {
    private static final long DEADLINE_SECONDS = 60;

    @GrpcClient("sluice")
    PipelineServiceGrpc.PipelineServiceBlockingStub pipelines;

    @GrpcClient("sluice")
    RunServiceGrpc.RunServiceBlockingStub runs;

    @Inject
    SluiceConfig config;

    @Test
    void aRunsLinesComeLiveThenReadBackWithWhatItsCodeLoggedAndNoSecret() throws Exception {
        try (GatedApi api = new GatedApi()) {
            pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(SpecReader.parse("""
                    name: logged
                    source:
                      rest_api:
                        base_url: "%s"
                        auth: { bearer: { token_secret: %s } }
                        client: { timeout: 90s, retries: { max_attempts: 2, backoff: 10ms } }
                        resources: [ { name: items } ]
                    destination: { duckdb: { path: logged.duckdb }, dataset: raw }
                    """.formatted(api.url("logged"), PostgresPassword.SECRET), "logged")).build());
            Run run = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("logged").build());
            Iterator<RunEvent> watch = runs.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .watchRun(WatchRunRequest.newBuilder().setRunId(run.getId()).build());
            List<RunEvent> watched = new ArrayList<>();
            while (watched.stream().noneMatch(event -> event.getLog().getMessage().startsWith("extracting resource items"))) {
                watched.add(watch.next());
            }
            assertEquals(RunState.RUNNING, runs.getRun(GetRunRequest.newBuilder().setRunId(run.getId()).build()).getState(),
                    "the line came while the run was waiting for its source");

            api.refuse("logged", 500);
            watch.forEachRemaining(watched::add);
            List<RunEvent> watchedLines = watched.stream().filter(RunEvent::hasLog).toList();
            String host = api.url("logged").split("/")[2];
            assertTrue(watchedLines.stream().map(RunEvent::getLog).anyMatch(line -> line.getLevel() == LogLine.Level.WARN
                            && line.getLogger().equals("io.sluice.source.rest.RequestSender")
                            && line.getMessage().startsWith("request to " + host + " failed (HTTP 500); attempt 2 of 2 in ")),
                    "what the source logged on the run's thread: " + watchedLines);
            assertTrue(watchedLines.getLast().getLog().getLevel() == LogLine.Level.ERROR, "the run's own last line says why it failed");

            List<RunEvent> listed = new ArrayList<>();
            String token = "";
            do {
                ListRunLogsResponse page = runs.listRunLogs(ListRunLogsRequest.newBuilder().setRunId(run.getId()).setPageSize(2)
                        .setPageToken(token).build());
                assertTrue(page.getLinesCount() <= 2);
                listed.addAll(page.getLinesList());
                token = page.getNextPageToken();
            } while (!token.isEmpty());
            assertEquals(watchedLines, listed, "the lines stored are those a watcher saw live");
            String secret = config.secret().get(PostgresPassword.SECRET);
            assertFalse(listed.stream().anyMatch(line -> line.getLog().getMessage().contains(secret)), "no line holds the secret's value");
        }
    }

    @Test
    void logsOfNoRunAreNotFoundAndATokenNotIssuedIsInvalid() {
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
                () -> runs.listRunLogs(ListRunLogsRequest.newBuilder().setRunId("no-such-run").build()));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
        StatusRuntimeException empty = assertThrows(StatusRuntimeException.class,
                () -> runs.listRunLogs(ListRunLogsRequest.newBuilder().build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, empty.getStatus().getCode());
    }
}
