package io.sluice.pipeline;

import io.sluice.proto.v1.Alert;
import io.sluice.proto.v1.EmailAlert;
import io.sluice.proto.v1.RunState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a pipeline's {@code alerts} into checked {@link AlertSpec}s. */
final class AlertMapper {
    /** One address as mail servers take it: no spaces or line breaks, one '@' with something on each side. */
    private static final Pattern ADDRESS = Pattern.compile("[^\\s@<>\",;]+@[^\\s@<>\",;]+");
    static final int LONGEST_SUBJECT_PREFIX = 100;

    private final SpecProblems problems;

    AlertMapper(SpecProblems problems) {
        this.problems = problems;
    }

    Optional<List<AlertSpec>> map(List<Alert> alerts) {
        int mark = problems.mark();
        List<Optional<AlertSpec>> mapped = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            mapped.add(alert("alerts[" + i + "]", alerts.get(i)));
        }
        return problems.buildIfClean(mark, () -> mapped.stream().map(Optional::orElseThrow).toList());
    }

    private Optional<AlertSpec> alert(String path, Alert alert) {
        int mark = problems.mark();
        Set<AlertState> on = states(path + ".on", alert);
        Optional<AlertChannel> channel = switch (alert.getChannelCase()) {
            case WEBHOOK -> {
                if (!alert.getWebhook().getUrl().isEmpty()) {
                    // Not echoed: a webhook URL carries its credentials.
                    problems.invalid(path + ".webhook.url", "a webhook URL is a secret: put it in a secret and name that"
                            + " secret in url_secret");
                }
                yield secret(path + ".webhook.url_secret", alert.getWebhook().getUrlSecret()).map(AlertChannel.Webhook::new);
            }
            case SLACK -> secret(path + ".slack.webhook_secret", alert.getSlack().getWebhookSecret()).map(AlertChannel.Slack::new);
            case TEAMS -> secret(path + ".teams.webhook_secret", alert.getTeams().getWebhookSecret()).map(AlertChannel.Teams::new);
            case EMAIL -> email(path + ".email", alert.getEmail());
            case CHANNEL_NOT_SET -> {
                problems.invalid(path, "required: one of webhook, slack, teams, email");
                yield Optional.empty();
            }
        };
        return problems.buildIfClean(mark, () -> new AlertSpec(on, channel.orElseThrow()));
    }

    private Set<AlertState> states(String path, Alert alert) {
        Set<AlertState> states = EnumSet.noneOf(AlertState.class);
        if (alert.getOnCount() == 0) {
            problems.invalid(path, "required: the run states that send this alert, e.g. [FAILED, CRASHED]");
        }
        for (int i = 0; i < alert.getOnCount(); i++) {
            String field = path + "[" + i + "]";
            Optional<AlertState> state = state(field, alert.getOn(i), alert.getOnValue(i));
            if (state.isPresent() && !states.add(state.get())) {
                problems.invalid(field, state.get() + " is named twice");
            }
        }
        return states;
    }

    private Optional<AlertState> state(String field, RunState state, int number) {
        return switch (state) {
            case RUNNING -> Optional.of(AlertState.RUNNING);
            case RETRYING -> Optional.of(AlertState.RETRYING);
            case COMPLETED -> Optional.of(AlertState.COMPLETED);
            case FAILED -> Optional.of(AlertState.FAILED);
            case CANCELLING -> Optional.of(AlertState.CANCELLING);
            case CANCELLED -> Optional.of(AlertState.CANCELLED);
            case CRASHED -> Optional.of(AlertState.CRASHED);
            case SKIPPED -> Optional.of(AlertState.SKIPPED);
            case RUN_STATE_UNSPECIFIED, SCHEDULED, PENDING -> {
                problems.invalid(field, state + " sends no alert: a run is sent alerts as it starts (RUNNING), retries"
                        + " (RETRYING), is cancelled (CANCELLING) or ends (COMPLETED, FAILED, CANCELLED, CRASHED, SKIPPED)");
                yield Optional.empty();
            }
            case UNRECOGNIZED -> problems.unrecognized(field, number, RunState.getDescriptor());
        };
    }

    private Optional<AlertChannel> email(String path, EmailAlert email) {
        int mark = problems.mark();
        if (email.getToCount() == 0) {
            problems.invalid(path + ".to", "at least one address is required");
        }
        for (int i = 0; i < email.getToCount(); i++) {
            String address = email.getTo(i);
            if (!ADDRESS.matcher(address).matches()) {
                problems.invalid(path + ".to[" + i + "]", "'" + address + "' is not an e-mail address such as data-team@example.com");
            }
        }
        String prefix = email.getSubjectPrefix();
        if (prefix.length() > LONGEST_SUBJECT_PREFIX || prefix.chars().anyMatch(Character::isISOControl)) {
            problems.invalid(path + ".subject_prefix", "at most " + LONGEST_SUBJECT_PREFIX + " characters on one line");
        }
        return problems.buildIfClean(mark, () -> new AlertChannel.Email(email.getToList(), prefix));
    }

    /** The secret's name, or empty when it is missing or not a name (then a problem says so). */
    private Optional<String> secret(String field, String name) {
        if (name.isEmpty()) {
            problems.invalid(field, "required: the name of the secret that holds the webhook's URL");
            return Optional.empty();
        }
        if (!SecretReference.isName(name)) {
            // Not echoed: what is there may be the URL itself.
            problems.invalid(field, "must name a secret that holds the URL, not hold the URL: a secret name is " + SecretReference.RULE);
            return Optional.empty();
        }
        return Optional.of(name);
    }
}
