package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A run's log line as stored.
 *
 * @param sequence the line's place in its run's event sequence, which it shares with the run's other events
 * @param level the level's name, which the runs package writes and reads
 * @param logger the logger that wrote the line; empty for the run's own messages
 */
public record StoredLogLine(String runId, long sequence, Instant time, String level, String logger, String message) {
    public StoredLogLine {
        requireNonNull(runId, "runId is null");
        requireNonNull(time, "time is null");
        requireNonNull(level, "level is null");
        requireNonNull(logger, "logger is null");
        requireNonNull(message, "message is null");
    }
}
