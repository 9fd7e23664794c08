package io.sluice.source;

/** A source could not be read. {@code transientFailure} says whether trying again may succeed. */
public final class SourceException extends RuntimeException {
    private final boolean transientFailure;

    public SourceException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public SourceException(String message) {
        this(message, false, null);
    }

    public boolean transientFailure() {
        return transientFailure;
    }
}
