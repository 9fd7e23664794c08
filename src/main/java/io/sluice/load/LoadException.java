package io.sluice.load;

/** A load failed; nothing of it was committed. {@code transientFailure} says whether trying again may succeed. */
public final class LoadException extends RuntimeException {
    private final boolean transientFailure;

    public LoadException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public boolean transientFailure() {
        return transientFailure;
    }
}
