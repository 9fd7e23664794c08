package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * An incremental cursor value, typed so that it compares as the data means it: numbers as numbers (10 after 9), ISO
 * timestamps as instants whatever their offset, dates as days, anything else as text. A date compares with a
 * timestamp as its midnight UTC, as a date column widens to a timestamp one; other kinds do not compare.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = CursorValue.Number.class, name = "number"),
    @JsonSubTypes.Type(value = CursorValue.Timestamp.class, name = "timestamp"),
    @JsonSubTypes.Type(value = CursorValue.Date.class, name = "date"),
    @JsonSubTypes.Type(value = CursorValue.Text.class, name = "text")
})
public sealed interface CursorValue {
    record Number(BigDecimal value) implements CursorValue {
        public Number {
            requireNonNull(value, "value is null");
            // One spelling per number, and a plain one: 10.50 is 10.5, 1.4E+5 is 140000.
            value = value.stripTrailingZeros();
            value = value.scale() < 0 ? value.setScale(0) : value;
        }

        @Override
        public String toString() {
            return value.toPlainString();
        }
    }

    record Timestamp(Instant value) implements CursorValue {
        public Timestamp {
            requireNonNull(value, "value is null");
        }

        @Override
        public String toString() {
            return value.toString();
        }
    }

    record Date(LocalDate value) implements CursorValue {
        public Date {
            requireNonNull(value, "value is null");
        }

        @Override
        public String toString() {
            return value.toString();
        }
    }

    record Text(String value) implements CursorValue {
        public Text {
            requireNonNull(value, "value is null");
        }

        @Override
        public String toString() {
            return value;
        }
    }

    /** The kind of a value, in messages: "a number", "a timestamp", … */
    default String kind() {
        return switch (this) {
            case Number ignored -> "a number";
            case Timestamp ignored -> "a timestamp";
            case Date ignored -> "a date";
            case Text ignored -> "text";
        };
    }

    /** A value written in a spec or a request: a number, an ISO timestamp or date, or else text. */
    static CursorValue parse(String text) {
        return text(text).orElseThrow();
    }

    /**
     * The cursor value of an item value: numbers, and text read as {@link #parse} reads it; empty for values that
     * cannot be a cursor (null, booleans, objects, lists).
     */
    static Optional<CursorValue> of(Object value) {
        return switch (value) {
            case null -> Optional.empty();
            case Long number -> Optional.of(new Number(BigDecimal.valueOf(number)));
            case Integer number -> Optional.of(new Number(BigDecimal.valueOf(number)));
            case BigInteger number -> Optional.of(new Number(new BigDecimal(number)));
            case BigDecimal number -> Optional.of(new Number(number));
            case Double number -> Double.isFinite(number) ? Optional.of(new Number(BigDecimal.valueOf(number))) : Optional.empty();
            case Float number -> Float.isFinite(number) ? Optional.of(new Number(BigDecimal.valueOf(number))) : Optional.empty();
            case String text -> text(text);
            default -> Optional.empty();
        };
    }

    private static Optional<CursorValue> text(String text) {
        if (CursorText.isNumber(text)) {
            return Optional.of(new Number(new BigDecimal(text)));
        }
        return Optional.of(CursorText.temporal(text).orElseGet(() -> new Text(text)));
    }

    /**
     * Compares with a value of a comparable kind.
     *
     * @throws IllegalArgumentException when the kinds do not compare (a number and text, say)
     */
    default int compareTo(CursorValue other) {
        return switch (this) {
            case Number number when other instanceof Number that -> number.value().compareTo(that.value());
            case Text text when other instanceof Text that -> text.value().compareTo(that.value());
            case Date date when other instanceof Date that -> date.value().compareTo(that.value());
            case Timestamp ignored when other instanceof Timestamp || other instanceof Date -> instant().compareTo(other.instant());
            case Date ignored when other instanceof Timestamp -> instant().compareTo(other.instant());
            default -> throw new IllegalArgumentException(kind() + " (" + this + ") does not compare with " + other.kind()
                    + " (" + other + ")");
        };
    }

    /** Whether this value compares with {@code other}. */
    default boolean comparesWith(CursorValue other) {
        return switch (this) {
            case Number ignored -> other instanceof Number;
            case Text ignored -> other instanceof Text;
            case Date ignored -> other instanceof Date || other instanceof Timestamp;
            case Timestamp ignored -> other instanceof Date || other instanceof Timestamp;
        };
    }

    /**
     * This value moved by {@code lag} towards smaller values ({@code sign} -1) or larger ones (+1). A date moves by
     * the whole days the lag covers, rounded up so that the window never starts later than asked.
     *
     * @throws IllegalArgumentException when the lag does not suit the value (a duration for a number, say)
     */
    default CursorValue shifted(Lag lag, int sign) {
        return switch (this) {
            case Number number when lag instanceof Lag.Amount amount ->
                    new Number(sign < 0 ? number.value().subtract(amount.value()) : number.value().add(amount.value()));
            case Timestamp timestamp when lag instanceof Lag.Span span ->
                    new Timestamp(sign < 0 ? timestamp.value().minus(span.value()) : timestamp.value().plus(span.value()));
            case Date date when lag instanceof Lag.Span span -> {
                long days = (span.value().toSeconds() + ChronoUnit.DAYS.getDuration().toSeconds() - 1)
                        / ChronoUnit.DAYS.getDuration().toSeconds();
                yield new Date(sign < 0 ? date.value().minusDays(days) : date.value().plusDays(days));
            }
            default -> throw new IllegalArgumentException("lag " + lag + " does not apply to " + kind() + " cursor ("
                    + this + "): use a duration such as 1h for timestamps and dates, a number for numbers; text takes none");
        };
    }

    private Instant instant() {
        return switch (this) {
            case Timestamp timestamp -> timestamp.value();
            case Date date -> date.value().atStartOfDay(ZoneOffset.UTC).toInstant();
            case Number ignored -> throw new IllegalStateException("a number is no instant");
            case Text ignored -> throw new IllegalStateException("text is no instant");
        };
    }
}
