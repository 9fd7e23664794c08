package io.sluice.source.rest;

import java.time.Duration;
import java.util.Optional;

/**
 * A request failed in a way that may pass (HTTP 429 or 5xx, a connection refused or reset, a timeout): the request
 * guard retries it, after {@code retryAfter} when the server said how long to wait.
 */
final class TransientHttpFailure extends RuntimeException {
    private final transient Optional<Duration> retryAfter;

    TransientHttpFailure(String message, Optional<Duration> retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
