package io.sluice.runs;

/** The run has already ended, so it cannot be changed (cancelled, say). */
public final class RunEndedException extends RuntimeException {
    public RunEndedException(String message) {
        super(message);
    }
}
