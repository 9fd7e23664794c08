package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Where an alert goes. A webhook's URL is a secret (it carries its own credentials), so a channel holds the name of the
 * secret, resolved when the alert is sent.
 */
public sealed interface AlertChannel {
    /** A JSON POST to the URL the secret {@code urlSecret} holds. */
    record Webhook(String urlSecret) implements AlertChannel {
        public Webhook {
            requireNonNull(urlSecret, "urlSecret is null");
        }
    }

    /** A message to the Slack incoming webhook whose URL the secret {@code webhookSecret} holds. */
    record Slack(String webhookSecret) implements AlertChannel {
        public Slack {
            requireNonNull(webhookSecret, "webhookSecret is null");
        }
    }

    /** A card to the Microsoft Teams incoming webhook whose URL the secret {@code webhookSecret} holds. */
    record Teams(String webhookSecret) implements AlertChannel {
        public Teams {
            requireNonNull(webhookSecret, "webhookSecret is null");
        }
    }

    /** An e-mail to {@code to} through the service's mail server, its subject led by {@code subjectPrefix} (may be empty). */
    record Email(List<String> to, String subjectPrefix) implements AlertChannel {
        public Email {
            to = List.copyOf(requireNonNull(to, "to is null"));
            if (to.isEmpty()) {
                throw new IllegalArgumentException("an e-mail alert has no recipient");
            }
            requireNonNull(subjectPrefix, "subjectPrefix is null");
        }
    }
}
