package io.sluice.runs.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/**
 * Writes an {@link AlertMessage} the way each channel reads it: plain JSON for a webhook of your own, Slack's
 * {@code text} and blocks, a Microsoft Teams MessageCard, and an e-mail's subject and text.
 */
final class AlertBodies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertBodies() {
    }

    /** Every field of the message, named in snake case, times in ISO 8601 (absent when the run has none yet). */
    static String webhook(AlertMessage message) {
        ObjectNode body = JSON.createObjectNode()
                .put("pipeline", message.pipeline())
                .put("run_id", message.runId())
                .put("state", message.state().name())
                .put("error", message.error())
                .put("attempt", message.attempt())
                .put("create_time", message.createTime().toString());
        time(body, "start_time", message.startTime());
        time(body, "end_time", message.endTime());
        body.put("logs_command", message.logsCommand())
                .put("run_command", message.runCommand())
                .put("text", text(message));
        return body.toString();
    }

    /** A Slack message: {@code text} for notifications, blocks for the channel (Slack's mrkdwn, escaped). */
    static String slack(AlertMessage message) {
        ObjectNode body = JSON.createObjectNode().put("text", slackEscaped(message.headline()));
        ArrayNode blocks = body.putArray("blocks");
        ObjectNode headline = blocks.addObject().put("type", "section");
        headline.putObject("text").put("type", "mrkdwn").put("text", "*" + slackEscaped(message.headline()) + "*"
                + (message.error().isEmpty() ? "" : "\n" + slackEscaped(message.error())));
        ArrayNode context = blocks.addObject().put("type", "context").putArray("elements");
        context.addObject().put("type", "mrkdwn").put("text", "Attempt " + message.attempt() + " · logs: `"
                + message.logsCommand() + "` · run: `" + message.runCommand() + "`");
        return body.toString();
    }

    /** A Microsoft Teams MessageCard: a title, and the message's fields as facts. */
    static String teams(AlertMessage message) {
        ObjectNode card = JSON.createObjectNode()
                .put("@type", "MessageCard")
                .put("@context", "https://schema.org/extensions")
                .put("summary", message.headline())
                .put("themeColor", message.failed() ? "D93F0B" : "2EB67D")
                .put("title", message.headline());
        ArrayNode facts = card.putArray("sections").addObject().putArray("facts");
        fact(facts, "Pipeline", message.pipeline());
        fact(facts, "Run", message.runId());
        fact(facts, "State", message.state().name());
        if (!message.error().isEmpty()) {
            fact(facts, "Error", message.error());
        }
        fact(facts, "Attempt", Integer.toString(message.attempt()));
        fact(facts, "Logs", message.logsCommand());
        fact(facts, "Run details", message.runCommand());
        return card.toString();
    }

    /** The e-mail's subject: the headline, after the spec's prefix when it has one. */
    static String subject(String prefix, AlertMessage message) {
        return prefix.isEmpty() ? message.headline() : prefix + " " + message.headline();
    }

    /** The message as lines of plain text: the e-mail's body, and the webhook's {@code text}. */
    static String text(AlertMessage message) {
        StringBuilder text = new StringBuilder(message.headline()).append(".\n\n")
                .append("Pipeline: ").append(message.pipeline()).append('\n')
                .append("Run:      ").append(message.runId()).append('\n')
                .append("State:    ").append(message.state()).append('\n');
        if (!message.error().isEmpty()) {
            text.append("Error:    ").append(message.error()).append('\n');
        }
        text.append("Attempt:  ").append(message.attempt()).append('\n')
                .append("Created:  ").append(message.createTime()).append('\n');
        message.startTime().ifPresent(time -> text.append("Started:  ").append(time).append('\n'));
        message.endTime().ifPresent(time -> text.append("Ended:    ").append(time).append('\n'));
        return text.append("\nLogs: ").append(message.logsCommand()).append('\n')
                .append("Run:  ").append(message.runCommand()).append('\n')
                .toString();
    }

    private static void time(ObjectNode body, String field, Optional<Instant> time) {
        time.ifPresent(value -> body.put(field, value.toString()));
    }

    private static void fact(ArrayNode facts, String name, String value) {
        facts.addObject().put("name", name).put("value", value);
    }

    /** Slack reads {@code &}, {@code <} and {@code >} as markup: an error message holding them is shown as written. */
    private static String slackEscaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
