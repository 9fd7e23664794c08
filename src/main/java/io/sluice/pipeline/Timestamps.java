package io.sluice.pipeline;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Reads the timestamp spelling of pipeline specs: "2024-05-01T10:00:00Z", "2024-05-01T12:00:00+02:00" or "9999-12-31". */
public final class Timestamps {
    private Timestamps() {
    }

    /**
     * A date means its midnight in UTC. Precision is cut to microseconds, what both destinations store.
     *
     * @throws IllegalArgumentException when the text is neither
     */
    public static Instant parse(String text) {
        String trimmed = text.strip();
        try {
            return OffsetDateTime.parse(trimmed).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException notATimestamp) {
            try {
                return LocalDate.parse(trimmed).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                throw new IllegalArgumentException("'" + text + "' is not a timestamp: write e.g. 2024-05-01T10:00:00Z or 9999-12-31");
            }
        }
    }
}
