package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A run event as stored: its kind and its payload as JSON, which the runs package reads and writes. */
public record StoredEvent(String runId, long sequence, Instant time, String kind, String payload) {
    public StoredEvent {
        requireNonNull(runId, "runId is null");
        requireNonNull(time, "time is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(payload, "payload is null");
    }
}
