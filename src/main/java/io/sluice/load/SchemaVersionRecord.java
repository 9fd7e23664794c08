package io.sluice.load;

import java.time.Instant;

/** One stored schema version: when and by which load it was stored, and how many tables it has. */
public record SchemaVersionRecord(long version, Instant time, String loadId, int tables) {
}
