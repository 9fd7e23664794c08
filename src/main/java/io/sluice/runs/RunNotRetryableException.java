package io.sluice.runs;

/** A run that cannot be retried, with why: it has not ended as a retry needs, or what it would resume from is gone. */
public final class RunNotRetryableException extends RuntimeException {
    public RunNotRetryableException(String message) {
        super(message);
    }
}
