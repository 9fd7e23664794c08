package io.sluice.runs.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.Trigger;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.runs.RunEvent;
import io.sluice.security.Secrets;
import io.sluice.testing.AlertReceiver;
import io.sluice.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline's alerts as its runs change state, received by a real HTTP server on localhost: the bodies each channel
 * reads, a channel that keeps failing given up after its tries, and nothing of a secret's value in what the run records.
 */
class AlertObserverTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant CREATED = Instant.parse("2026-12-06T02:00:00Z");
    private static final Instant STARTED = CREATED.plusSeconds(1);
    private static final Instant ENDED = STARTED.plusSeconds(5);

    @TempDir
    Path noMountedSecrets;

    private AlertReceiver receiver;
    private AlertObserver observer;
    private final List<RunEvent> recorded = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        receiver = new AlertReceiver(0);
        Secrets secrets = new Secrets(Map.of("ops-hook", receiver.url("hook"), "slack-alerts", receiver.url("slack"),
                "teams-alerts", receiver.url("teams"), "broken-hook", receiver.url("broken"), "not-a-url", "hooks.example.com/x"),
                Map.of(), noMountedSecrets);
        observer = new AlertObserver(new AlertDelivery(secrets, new WebhookPoster(Duration.ofSeconds(5)),
                new MailSender(mails -> {
                    throw new IllegalStateException("no e-mail in this test");
                }), 3, Duration.ofMillis(5)));
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void aFailedRunIsToldToEachChannelInItsOwnFormat() throws Exception {
        Run run = trigger("""
                alerts:
                  - { on: [FAILED], webhook: { url_secret: ops-hook } }
                  - { on: [FAILED, CRASHED], slack: { webhook_secret: slack-alerts } }
                  - { on: [FAILED], teams: { webhook_secret: teams-alerts } }
                  - { on: [COMPLETED], webhook: { url_secret: broken-hook } }
                """);
        observer.published(run.started(STARTED), new RunEvent.StateChanged(RunState.PENDING, RunState.RUNNING, "started"));
        Run failed = run.started(STARTED).ended(RunState.FAILED, ENDED, "load failed: <disk> & full", Optional.empty());
        observer.published(failed, new RunEvent.StateChanged(RunState.RUNNING, RunState.FAILED, failed.error()));

        JsonNode webhook = JSON.readTree(received("hook"));
        assertEquals("nightly", webhook.get("pipeline").asText());
        assertEquals(run.id(), webhook.get("run_id").asText());
        assertEquals("FAILED", webhook.get("state").asText());
        assertEquals("load failed: <disk> & full", webhook.get("error").asText());
        assertEquals(1, webhook.get("attempt").asInt());
        assertEquals(CREATED.toString(), webhook.get("create_time").asText());
        assertEquals(STARTED.toString(), webhook.get("start_time").asText());
        assertEquals(ENDED.toString(), webhook.get("end_time").asText());
        assertEquals("sluice runs logs " + run.id(), webhook.get("logs_command").asText());
        assertEquals("sluice runs get " + run.id(), webhook.get("run_command").asText());

        JsonNode slack = JSON.readTree(received("slack"));
        assertEquals("Run " + run.id() + " of pipeline nightly is FAILED", slack.get("text").asText());
        assertEquals("*Run " + run.id() + " of pipeline nightly is FAILED*\nload failed: &lt;disk&gt; &amp; full",
                slack.at("/blocks/0/text/text").asText());
        assertTrue(slack.at("/blocks/1/elements/0/text").asText().contains("`sluice runs logs " + run.id() + "`"), slack.toString());

        JsonNode teams = JSON.readTree(received("teams"));
        assertEquals("MessageCard", teams.get("@type").asText());
        assertEquals("Run " + run.id() + " of pipeline nightly is FAILED", teams.get("title").asText());
        Map<String, String> facts = new java.util.LinkedHashMap<>();
        teams.at("/sections/0/facts").forEach(fact -> facts.put(fact.get("name").asText(), fact.get("value").asText()));
        assertEquals(Map.of("Pipeline", "nightly", "Run", run.id(), "State", "FAILED", "Error", "load failed: <disk> & full",
                "Attempt", "1", "Logs", "sluice runs logs " + run.id(), "Run details", "sluice runs get " + run.id()), facts);

        List<String> lines = Await.until("three alerts recorded as sent", WAIT, this::lines, seen -> seen.size() == 3);
        assertEquals(List.of("INFO alert Slack (secret slack-alerts) on FAILED sent", "INFO alert Teams (secret teams-alerts) on FAILED sent",
                "INFO alert webhook (secret ops-hook) on FAILED sent"), lines.stream().sorted().toList());
        assertEquals(List.of(), receiver.bodies("broken"), "an alert on a state the run did not enter is not sent");
    }

    @Test
    void aChannelAnswering500IsTriedThreeTimesThenGivenUpAndRecordedWithoutItsUrl() throws Exception {
        receiver.answer("broken", 500);
        Run run = trigger("alerts: [ { on: [COMPLETED], webhook: { url_secret: broken-hook } } ]");
        Run completed = run.started(STARTED).ended(RunState.COMPLETED, ENDED, "", Optional.empty());
        observer.published(completed, new RunEvent.StateChanged(RunState.RUNNING, RunState.COMPLETED, "completed"));

        List<String> lines = Await.until("the alert given up", WAIT, this::lines, seen -> !seen.isEmpty());
        assertEquals(List.of("WARN alert webhook (secret broken-hook) on COMPLETED not sent after 3 tries: the URL in secret"
                + " 'broken-hook' answered HTTP 500"), lines);
        assertEquals(3, receiver.bodies("broken").size());
        assertFalse(lines.getFirst().contains("127.0.0.1"), "the secret's value is never recorded");
    }

    @Test
    void aMissingSecretOrOneThatHoldsNoUrlIsNotTriedAgainAndNotEchoed() throws Exception {
        Run run = trigger("""
                alerts:
                  - { on: [RUNNING], slack: { webhook_secret: unset-secret } }
                  - { on: [RUNNING], teams: { webhook_secret: not-a-url } }
                """);
        observer.published(run.started(STARTED), new RunEvent.StateChanged(RunState.PENDING, RunState.RUNNING, "started"));
        List<String> lines = Await.until("both alerts given up", WAIT, this::lines, seen -> seen.size() == 2);
        assertTrue(lines.contains("WARN alert Teams (secret not-a-url) on RUNNING not sent: secret 'not-a-url' does not hold"
                + " an http(s) URL"), lines.toString());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("WARN alert Slack (secret unset-secret) on RUNNING not sent:"
                + " secret 'unset-secret' is not set")), lines.toString());
        assertTrue(lines.stream().noneMatch(line -> line.contains("hooks.example.com")), lines.toString());
    }

    @Test
    void aSlowChannelNeitherHoldsTheRunNorLaterStateChanges() throws Exception {
        receiver.hold("hook");
        Run run = trigger("alerts: [ { on: [RUNNING, COMPLETED], webhook: { url_secret: ops-hook } } ]");
        observer.published(run.started(STARTED), new RunEvent.StateChanged(RunState.PENDING, RunState.RUNNING, "started"));
        Await.until("the RUNNING alert to arrive and be held", WAIT, () -> receiver.bodies("hook").size(), count -> count == 1);

        // The run ends while its first alert still waits for an answer: published returns at once all the same.
        Run completed = run.started(STARTED).ended(RunState.COMPLETED, ENDED, "", Optional.empty());
        observer.published(completed, new RunEvent.StateChanged(RunState.RUNNING, RunState.COMPLETED, "completed"));
        Await.until("the COMPLETED alert to arrive beside it", WAIT, () -> receiver.bodies("hook").size(), count -> count == 2);
        assertEquals(List.of(), lines(), "neither alert has its answer yet");
        receiver.release("hook");
        Await.until("both alerts recorded as sent", WAIT, this::lines, seen -> seen.size() == 2);
    }

    private Run trigger(String alerts) {
        PipelineSpec spec = PipelineSpecs.toSpec(SpecReader.parse("""
                name: nightly
                source: { filesystem: { resources: [ { name: items, glob: "*.jsonl" } ] } }
                destination: { duckdb: { path: nightly.duckdb } }
                """ + alerts, "test"), "test");
        Run run = new Run(java.util.UUID.randomUUID().toString(), "nightly", RunState.PENDING, Trigger.API, "", CREATED,
                Optional.empty(), Optional.empty(), "", 1, Optional.empty(), Optional.empty(), "", "");
        observer.triggered(run, spec, recorded::add);
        return run;
    }

    private String received(String path) throws Exception {
        return Await.until("an alert POSTed to /" + path, WAIT, () -> receiver.bodies(path), bodies -> !bodies.isEmpty()).getFirst();
    }

    /** The log lines recorded on the run, as "LEVEL message". */
    private List<String> lines() {
        return recorded.stream().map(event -> (RunEvent.LogLine) event).map(line -> line.level() + " " + line.message()).toList();
    }
}
