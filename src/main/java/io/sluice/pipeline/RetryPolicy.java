package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How often a run is attempted when it fails transiently, and how long it waits in between: {@code backoff} before
 * the second attempt, doubling before each next one up to {@code maxBackoff}, each delay varied at random by up to
 * {@code jitter} of itself (so that runs failing together do not retry together) and never longer than
 * {@code maxBackoff}.
 */
public record RetryPolicy(int maxAttempts, Duration backoff, Duration maxBackoff, double jitter) {
    /** Enough to ride out a restarting server or a flaky network; more is a schedule, not a retry. */
    public static final int MOST_ATTEMPTS = 100;
    /** Delay before the second attempt when {@code retries.backoff} is not set. */
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(10);
    /** Longest delay between attempts when {@code retries.max_backoff} is not set (or backoff, when that is longer). */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
    /** A spec without {@code retries}: one attempt. */
    public static final RetryPolicy NONE = new RetryPolicy(1, DEFAULT_BACKOFF, DEFAULT_MAX_BACKOFF, 0);

    /** The spec mapper reports a user's values against these same rules, with their field paths. */
    public RetryPolicy {
        requireNonNull(backoff, "backoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
        if (!allowsAttempts(maxAttempts)) {
            throw new IllegalArgumentException("maxAttempts " + maxAttempts + " is not within 1.." + MOST_ATTEMPTS);
        }
        if (backoff.isNegative() || backoff.isZero() || maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException("need 0 < backoff <= maxBackoff, got " + backoff + " and " + maxBackoff);
        }
        if (!allowsJitter(jitter)) {
            throw new IllegalArgumentException("jitter " + jitter + " is not within 0..1");
        }
    }

    static boolean allowsAttempts(int maxAttempts) {
        return maxAttempts >= 1 && maxAttempts <= MOST_ATTEMPTS;
    }

    /** A fraction of the delay; NaN is none. */
    static boolean allowsJitter(double jitter) {
        return jitter >= 0 && jitter <= 1;
    }

    /** The longest delay of a spec that does not set one: the default, unless the backoff is longer already. */
    static Duration defaultMaxBackoff(Duration backoff) {
        return backoff.compareTo(DEFAULT_MAX_BACKOFF) > 0 ? backoff : DEFAULT_MAX_BACKOFF;
    }

    /**
     * How long to wait before attempt {@code attempt} (2 or more).
     *
     * @param random a number in [0, 1) that picks where within the jitter the delay falls
     */
    public Duration delayBefore(int attempt, double random) {
        if (attempt < 2 || attempt > maxAttempts) {
            throw new IllegalArgumentException("attempt " + attempt + " is not a retry of " + maxAttempts + " attempts");
        }
        // Doubling stops at the cap; counting the doublings first keeps a long policy from overflowing.
        long doublings = 0;
        long delay = backoff.toMillis();
        while (doublings < attempt - 2 && delay < maxBackoff.toMillis()) {
            delay *= 2;
            doublings++;
        }
        double varied = Math.min(delay, maxBackoff.toMillis()) * (1 + jitter * (2 * random - 1));
        return Duration.ofMillis(Math.min(Math.round(varied), maxBackoff.toMillis()));
    }
}
