package io.sluice.runs;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A run event with its place in the run's sequence. */
public record RecordedEvent(String runId, long sequence, Instant time, RunEvent event) {
    public RecordedEvent {
        requireNonNull(runId, "runId is null");
        requireNonNull(time, "time is null");
        requireNonNull(event, "event is null");
    }
}
