package io.sluice.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.proto.v1.Alert;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.SlackAlert;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertSpecTest {
    private static final String PIPELINE = """
            name: alerting
            source: { filesystem: { resources: [ { name: items, glob: "*.jsonl" } ] } }
            destination: { duckdb: { path: alerting.duckdb }, dataset: raw }
            """;

    @Test
    void withoutAlertsNoneAreSent() {
        assertEquals(List.of(), spec("").alerts());
    }

    @Test
    void eachChannelIsReadWithTheStatesThatSendIt() {
        PipelineSpec spec = spec("""
                alerts:
                  - { on: [FAILED, CRASHED], slack: { webhook_secret: slack-data-alerts } }
                  - { on: [COMPLETED], webhook: { url_secret: ops-hook } }
                  - { on: [RETRYING], teams: { webhook_secret: teams.data_alerts } }
                  - { on: [FAILED], email: { to: [data@example.com, oncall@example.com], subject_prefix: "[data]" } }
                """);
        assertEquals(List.of(
                new AlertSpec(Set.of(AlertState.FAILED, AlertState.CRASHED), new AlertChannel.Slack("slack-data-alerts")),
                new AlertSpec(Set.of(AlertState.COMPLETED), new AlertChannel.Webhook("ops-hook")),
                new AlertSpec(Set.of(AlertState.RETRYING), new AlertChannel.Teams("teams.data_alerts")),
                new AlertSpec(Set.of(AlertState.FAILED), new AlertChannel.Email(List.of("data@example.com", "oncall@example.com"), "[data]"))),
                spec.alerts());
        assertTrue(spec.alerts().getFirst().sentOn(AlertState.CRASHED));
        assertFalse(spec.alerts().getFirst().sentOn(AlertState.COMPLETED));
    }

    @Test
    void everyBadAlertIsNamedWithItsPathAndNoUrlIsEchoed() {
        List<Problem> problems = PipelineSpecs.problems(SpecReader.parse(PIPELINE + """
                alerts:
                  - { slack: { webhook_secret: slack } }
                  - { on: [FAILED, PENDING, FAILED] }
                  - { on: [FAILED], webhook: { url: "https://hooks.example.com/T0/B0/abc" } }
                  - { on: [FAILED], slack: { webhook_secret: "https://hooks.slack.com/services/T0/B0/secret" } }
                  - { on: [FAILED], teams: {} }
                  - { on: [COMPLETED], email: { subject_prefix: "two\\nlines" } }
                  - { on: [COMPLETED], email: { to: [ok@example.com, "not an address", "a@b@c"] } }
                """, "test"));
        assertEquals(List.of("alerts[0].on", "alerts[1].on[1]", "alerts[1].on[2]", "alerts[1]", "alerts[2].webhook.url",
                "alerts[2].webhook.url_secret", "alerts[3].slack.webhook_secret", "alerts[4].teams.webhook_secret",
                "alerts[5].email.to", "alerts[5].email.subject_prefix", "alerts[6].email.to[1]", "alerts[6].email.to[2]"),
                problems.stream().map(Problem::field).toList());
        assertTrue(problems.stream().allMatch(problem -> problem.kind() == Problem.Kind.INVALID), problems.toString());
        assertTrue(problems.stream().noneMatch(problem -> problem.description().contains("hooks.")), problems.toString());
        assertEquals("FAILED is named twice", problems.get(2).description());
    }

    @Test
    void aRunStateNumberTheApiDoesNotDefineIsRefusedByItsPath() {
        Pipeline pipeline = SpecReader.parse(PIPELINE, "test").toBuilder()
                .addAlerts(Alert.newBuilder().addOnValue(99).setSlack(SlackAlert.newBuilder().setWebhookSecret("slack")))
                .build();
        List<Problem> problems = PipelineSpecs.problems(pipeline);
        assertEquals(List.of("alerts[0].on[0]"), problems.stream().map(Problem::field).toList());
        assertTrue(problems.getFirst().description().startsWith("unknown value 99"), problems.toString());
    }

    private static PipelineSpec spec(String alerts) {
        return PipelineSpecs.toSpec(SpecReader.parse(PIPELINE + alerts, "test"), "test");
    }
}
