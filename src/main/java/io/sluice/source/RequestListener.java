package io.sluice.source;

import java.time.Duration;
import java.util.OptionalInt;

/** Told of every request a source sends to a remote API, so that the service can measure them without the source knowing how. */
public interface RequestListener {
    /** Listens to nothing: for sources opened outside a run executor. */
    RequestListener NONE = (host, status, elapsed) -> {
    };

    /**
     * One request sent, retries each counted on their own.
     *
     * @param host the host (and port, when the URL names one) it went to
     * @param status the HTTP status of the answer; empty when none came (connection failure, timeout)
     * @param elapsed from sending it to its answer or failure
     */
    void requested(String host, OptionalInt status, Duration elapsed);
}
