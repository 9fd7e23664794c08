package io.sluice.runs.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.CatalogTime;
import io.sluice.catalog.StoredEvent;
import io.sluice.catalog.Trigger;
import io.sluice.pipeline.SpecReader;
import io.sluice.proto.v1.CreatePipelineRequest;
import io.sluice.proto.v1.GetRunRequest;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.Run;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.proto.v1.RunState;
import io.sluice.proto.v1.TriggerRunRequest;
import io.sluice.runs.RunExecutor;
import io.sluice.testing.AlertReceiver;
import io.sluice.testing.Await;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.GatedApi;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Alerts of runs started through the real gRPC API: e-mail received by a real SMTP server (GreenMail) through the
 * Quarkus mailer, logged in with the password of the secret {@code quarkus.mailer.password} names, and a webhook that answers 500 tried, given up and recorded on a run that ends as it would have.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
class AlertsEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @GrpcClient("sluice")
    PipelineServiceGrpc.PipelineServiceBlockingStub pipelines;

    @GrpcClient("sluice")
    RunServiceGrpc.RunServiceBlockingStub runs;

    @Inject
    CatalogStore store;

    @Inject
    RunExecutor executor;

    @ConfigProperty(name = "quarkus.mailer.port")
    int smtpPort;

    @ConfigProperty(name = "sluice.secret.alerts-test-smtp-password")
    String smtpPassword;

    @ConfigProperty(name = "sluice.secret.alerts-test-hook")
    String hook;

    private GreenMail smtp;
    private AlertReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        // Only the password of the secret the config names is taken.
        smtp.setUser("sluice@localhost", "sluice", smtpPassword);
        smtp.start();
        receiver = new AlertReceiver(URI.create(hook).getPort());
        receiver.answer("hook", 500);
    }

    @AfterEach
    void stop() {
        receiver.close();
        smtp.stop();
    }

    @Test
    void aCompletedRunIsMailedAndItsFailingWebhookNeitherFailsNorHoldsIt() throws Exception {
        Run run = trigger("""
                name: alerted
                alerts:
                  - { on: [COMPLETED], email: { to: [data@example.com, oncall@example.com], subject_prefix: "[data]" } }
                  - { on: [COMPLETED], webhook: { url_secret: alerts-test-hook } }
                source: { filesystem: { base_path: deploy/samples, resources: [ { name: customers, glob: customers.csv } ] } }
                destination: { duckdb: { path: alerted.duckdb }, dataset: shop }
                """);
        assertEquals(RunState.COMPLETED, ended(run).getState());

        MimeMessage mail = mail(run.getId());
        assertEquals("[data] Run " + run.getId() + " of pipeline alerted is COMPLETED", mail.getSubject());
        assertEquals(2, mail.getAllRecipients().length);
        assertEquals(2, smtp.getReceivedMessages().length, "one mail, delivered to each recipient");
        String body = GreenMailUtil.getBody(mail);
        assertTrue(body.contains("Pipeline: alerted") && body.contains("Run:      " + run.getId()) && body.contains("State:    COMPLETED")
                && body.contains("Logs: sluice runs logs " + run.getId()), body);

        List<String> lines = Await.until("the webhook alert given up and recorded on the run", WAIT,
                () -> payloads(run.getId()), seen -> seen.stream().anyMatch(line -> line.contains("not sent")));
        assertEquals(3, receiver.bodies("hook").size(), "tried three times");
        assertTrue(lines.stream().anyMatch(line -> line.contains("alert webhook (secret alerts-test-hook) on COMPLETED not sent"
                + " after 3 tries: the URL in secret 'alerts-test-hook' answered HTTP 500")), lines.toString());
        assertTrue(lines.stream().noneMatch(line -> line.contains(hook)), "the secret's value is never recorded");
        assertEquals(RunState.COMPLETED, get(run).getState(), "the run ends as it would have");
    }

    @Test
    void aFailedRunIsMailedWithItsError() throws Exception {
        Path blocker = Files.createTempFile("not-a-directory", "");
        Run run = trigger("""
                name: alerted-failure
                alerts: [ { on: [FAILED], email: { to: [data@example.com] } } ]
                source: { filesystem: { base_path: deploy/samples, resources: [ { name: customers, glob: customers.csv } ] } }
                destination: { duckdb: { path: "%s/inside/x.duckdb" } }
                """.formatted(blocker));
        assertEquals(RunState.FAILED, ended(run).getState());

        MimeMessage mail = mail(run.getId());
        assertEquals("Run " + run.getId() + " of pipeline alerted-failure is FAILED", mail.getSubject());
        String body = GreenMailUtil.getBody(mail);
        assertTrue(body.contains("Error:    ") && body.contains("cannot open DuckDB database " + blocker + "/inside/x.duckdb"), body);
        assertTrue(body.contains("sluice runs logs " + run.getId()) && body.contains("sluice runs get " + run.getId()), body);
    }

    @Test
    void aSkippedRunIsMailedSayingWhichRunWasActive() throws Exception {
        try (GatedApi api = new GatedApi()) {
            Run first = trigger("""
                    name: alerted-skip
                    concurrency: { max_active_runs: 1, on_overlap: SKIP }
                    alerts: [ { on: [SKIPPED], email: { to: [data@example.com] } } ]
                    source: { rest_api: { base_url: "%s", resources: [ { name: items } ] } }
                    destination: { duckdb: { path: alerted-skip.duckdb } }
                    """.formatted(api.url("held")));
            Await.until("the first run to start", WAIT, () -> get(first), seen -> seen.getState() == RunState.RUNNING);
            Run skipped = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("alerted-skip").build());
            assertEquals(RunState.SKIPPED, skipped.getState());

            MimeMessage mail = mail(skipped.getId());
            assertEquals("Run " + skipped.getId() + " of pipeline alerted-skip is SKIPPED", mail.getSubject());
            assertTrue(GreenMailUtil.getBody(mail).contains("already has 1 active run " + first.getId()), GreenMailUtil.getBody(mail));
            api.open("held");
            assertEquals(RunState.COMPLETED, ended(first).getState());
        }
    }

    @Test
    void aRunFoundCrashedAtStartIsMailed() throws Exception {
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(SpecReader.parse("""
                name: alerted-crash
                alerts: [ { on: [CRASHED], email: { to: [data@example.com] } } ]
                source: { filesystem: { base_path: deploy/samples, resources: [ { name: customers, glob: customers.csv } ] } }
                destination: { duckdb: { path: alerted-crash.duckdb } }
                """, "")).build());
        Instant now = CatalogTime.now();
        // Stored with no owner, as by a version that recorded none: nothing holds it, so its process is provably gone.
        io.sluice.catalog.Run left = store.insertRun(new io.sluice.catalog.Run(UUID.randomUUID().toString(), "alerted-crash",
                io.sluice.catalog.RunState.RUNNING, Trigger.API, "", now, Optional.of(now), Optional.empty(), "", 1, Optional.empty(),
                Optional.empty(), "", ""), "");

        executor.markCrashedRuns();

        MimeMessage mail = mail(left.id());
        assertEquals("Run " + left.id() + " of pipeline alerted-crash is CRASHED", mail.getSubject());
        assertTrue(GreenMailUtil.getBody(mail).contains("the process running it stopped before it ended"), GreenMailUtil.getBody(mail));
    }

    private Run trigger(String yaml) {
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(SpecReader.parse(yaml, "")).build());
        return runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline(SpecReader.parse(yaml, "").getName()).build());
    }

    private Run ended(Run run) throws Exception {
        return Await.until("run " + run.getId() + " to end", WAIT, () -> get(run),
                seen -> seen.getState() == RunState.COMPLETED || seen.getState() == RunState.FAILED);
    }

    private Run get(Run run) {
        return runs.getRun(GetRunRequest.newBuilder().setRunId(run.getId()).build());
    }

    /** The alert mail received (one per recipient), once the run has recorded it as sent (so the mail server is no longer needed). */
    private MimeMessage mail(String runId) throws Exception {
        assertTrue(smtp.waitForIncomingEmail(WAIT.toMillis(), 1), "an alert mail within " + WAIT);
        Await.until("the e-mail alert recorded as sent on run " + runId, WAIT, () -> payloads(runId),
                seen -> seen.stream().anyMatch(line -> line.contains("alert e-mail to data@example.com") && line.contains(" sent\"")));
        return smtp.getReceivedMessages()[0];
    }

    /** The run's stored events and log lines (kept apart in the catalog), as text. */
    private List<String> payloads(String runId) {
        return java.util.stream.Stream.concat(store.events(runId).stream().map(StoredEvent::payload),
                store.logLines(runId, 10_000, "").items().stream().map(line -> "\"" + line.message() + "\"")).toList();
    }
}
