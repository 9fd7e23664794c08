package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/** How far behind its last value an incremental cursor starts: a duration for temporal cursors, an amount for numbers. */
public sealed interface Lag {
    record Span(Duration value) implements Lag {
        public Span {
            requireNonNull(value, "value is null");
            if (value.isNegative()) {
                throw new IllegalArgumentException("lag " + value + " is negative");
            }
        }

        @Override
        public String toString() {
            return value.toString().substring(2).toLowerCase(Locale.ROOT);
        }
    }

    record Amount(BigDecimal value) implements Lag {
        public Amount {
            requireNonNull(value, "value is null");
            if (value.signum() < 0) {
                throw new IllegalArgumentException("lag " + value + " is negative");
            }
        }

        @Override
        public String toString() {
            return value.toPlainString();
        }
    }

    /**
     * Reads a lag as a spec writes it: a number ("100", "0.5") or a duration ("1h", "2d").
     *
     * @throws IllegalArgumentException when it is neither, or negative
     */
    static Lag parse(String text) {
        if (CursorText.isNumber(text.strip())) {
            return new Amount(new BigDecimal(text.strip()));
        }
        try {
            return new Span(Durations.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is neither a number (for numeric cursors) nor a duration such as"
                    + " 1h or 2d (for timestamps and dates)");
        }
    }
}
