package io.sluice.runs.alerts;

/**
 * One try to send an alert failed. The message says why without the secret: never a webhook's URL, nor what the server
 * answered (it may echo the request).
 *
 * @see #retryable()
 */
final class AlertNotSentException extends Exception {
    private final boolean retryable;

    AlertNotSentException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    /** Whether another try may succeed: a missing secret or a malformed URL will not. */
    boolean retryable() {
        return retryable;
    }
}
