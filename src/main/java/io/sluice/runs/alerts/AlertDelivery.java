package io.sluice.runs.alerts;

import static java.util.Objects.requireNonNull;

import io.sluice.pipeline.AlertChannel;
import io.sluice.runs.RunEvent;
import io.sluice.security.MissingSecretException;
import io.sluice.security.Secrets;
import java.time.Duration;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Sends one alert to its channel, trying again a few times, with a doubling wait, after a failure that may pass; then
 * logs and records on the run whether it was sent. It never throws: an alert cannot fail a run. Secrets are resolved
 * at each try, so a secret fixed meanwhile is read, and their values appear in no message.
 */
final class AlertDelivery {
    private static final Logger LOG = Logger.getLogger(AlertDelivery.class);

    private final Secrets secrets;
    private final WebhookPoster webhooks;
    private final MailSender mail;
    private final int attempts;
    private final Duration backoff;

    /** @param attempts tries in all, the first included; @param backoff the wait before the second */
    AlertDelivery(Secrets secrets, WebhookPoster webhooks, MailSender mail, int attempts, Duration backoff) {
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.webhooks = requireNonNull(webhooks, "webhooks is null");
        this.mail = requireNonNull(mail, "mail is null");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
        this.attempts = attempts;
        this.backoff = requireNonNull(backoff, "backoff is null");
    }

    /** @param record adds an event to the run's history: whether the alert was sent */
    void deliver(AlertChannel channel, AlertMessage message, Consumer<RunEvent> record) {
        String alert = "alert " + describe(channel) + " on " + message.state();
        Duration wait = backoff;
        for (int attempt = 1; ; attempt++) {
            try {
                sendOnce(channel, message);
                LOG.infof("run %s of pipeline %s: %s sent", message.runId(), message.pipeline(), alert);
                recorded(record, new RunEvent.LogLine(RunEvent.LogLine.Level.INFO, alert + " sent"));
                return;
            } catch (AlertNotSentException e) {
                if (!e.retryable() || attempt == attempts || !pause(wait)) {
                    String reason = alert + " not sent" + (attempt > 1 ? " after " + attempt + " tries" : "") + ": " + e.getMessage();
                    LOG.warnf("run %s of pipeline %s: %s", message.runId(), message.pipeline(), reason);
                    recorded(record, new RunEvent.LogLine(RunEvent.LogLine.Level.WARN, reason));
                    return;
                }
                LOG.debugf("run %s: %s failed (try %d of %d), trying again in %s: %s", message.runId(), alert, attempt, attempts,
                        wait, e.getMessage());
                wait = wait.multipliedBy(2);
            }
        }
    }

    private void sendOnce(AlertChannel channel, AlertMessage message) throws AlertNotSentException {
        switch (channel) {
            case AlertChannel.Webhook webhook -> post(webhook.urlSecret(), AlertBodies.webhook(message));
            case AlertChannel.Slack slack -> post(slack.webhookSecret(), AlertBodies.slack(message));
            case AlertChannel.Teams teams -> post(teams.webhookSecret(), AlertBodies.teams(message));
            case AlertChannel.Email email -> mail.send(email, message);
        }
    }

    private void post(String secret, String json) throws AlertNotSentException {
        String url;
        try {
            url = secrets.resolve(secret);
        } catch (MissingSecretException e) {
            throw new AlertNotSentException(e.getMessage(), false);
        } catch (RuntimeException e) {
            throw new AlertNotSentException("secret '" + secret + "' could not be read (" + e.getClass().getSimpleName() + ")", true);
        }
        webhooks.post(url, secret, json);
    }

    /** The channel in a few words, naming the secret it reads and never its value. */
    static String describe(AlertChannel channel) {
        return switch (channel) {
            case AlertChannel.Webhook webhook -> "webhook (secret " + webhook.urlSecret() + ")";
            case AlertChannel.Slack slack -> "Slack (secret " + slack.webhookSecret() + ")";
            case AlertChannel.Teams teams -> "Teams (secret " + teams.webhookSecret() + ")";
            case AlertChannel.Email email -> "e-mail to " + String.join(", ", email.to());
        };
    }

    /** Waits before the next try; false when the wait was interrupted (the service is stopping). */
    private static boolean pause(Duration wait) {
        try {
            Thread.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The run's history is the catalog's: a catalog that fails here leaves the log line above as the only trace. */
    private static void recorded(Consumer<RunEvent> record, RunEvent.LogLine line) {
        try {
            record.accept(line);
        } catch (RuntimeException e) {
            LOG.warnf("could not record on the run: %s (%s)", line.message(), e.getClass().getSimpleName());
        }
    }
}
