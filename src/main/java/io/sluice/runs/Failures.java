package io.sluice.runs;

import io.sluice.load.LoadException;
import io.sluice.source.SourceException;

/**
 * Reads how a failure was classified where it was thrown. Only a source or a load can fail transiently, and each says
 * so itself; everything else — an invalid spec, a missing secret, a contract violation, a stopped run — would fail
 * the same way again.
 */
final class Failures {
    private Failures() {
    }

    /** Whether trying again may succeed: the first classified failure on the cause chain decides. */
    static boolean transientFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            switch (cause) {
                case LoadException load -> {
                    return load.transientFailure();
                }
                case SourceException source -> {
                    return source.transientFailure();
                }
                default -> {
                }
            }
        }
        return false;
    }

    /**
     * The failure's message, with the messages of its causes where they add something; what a failure left pending
     * comes after its cause.
     */
    static String describe(Throwable failure) {
        if (failure instanceof PackageLeftPendingException pending) {
            return describe(pending.getCause()) + "; " + pending.getMessage();
        }
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            if (text.indexOf(message) < 0) {
                text.append(text.isEmpty() ? "" : ": ").append(message);
            }
        }
        return text.toString();
    }
}
