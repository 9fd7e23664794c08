package io.sluice.pipeline;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Optional;
import java.util.regex.Pattern;

/** How cursor values and lags are spelled in text: numbers, ISO dates and timestamps. */
final class CursorText {
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    /** {@code yyyy-mm-dd[T ]hh:mm[:ss[.f…]]} with an optional zone; without one, UTC. */
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':').appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter();

    private CursorText() {
    }

    static boolean isNumber(String text) {
        return NUMBER.matcher(text).matches();
    }

    /** The date or timestamp the text spells, or empty when it spells neither. */
    static Optional<CursorValue> temporal(String text) {
        if (text.length() < 10 || !Character.isDigit(text.charAt(0))) {
            return Optional.empty();
        }
        try {
            if (text.length() == 10) {
                return Optional.of(new CursorValue.Date(LocalDate.parse(text)));
            }
            var parsed = TIMESTAMP.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
            Instant instant = parsed instanceof OffsetDateTime offset ? offset.toInstant()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
            return Optional.of(new CursorValue.Timestamp(instant));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
