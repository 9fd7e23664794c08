package io.sluice.source.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of PostgreSQL's texts of a timestamp or a decimal are copied as they are. */
class CheckedTextTest {
    @Test
    void aTimestampOfTheYears1To9999InUtcIsCopied() {
        for (String copied : List.of("2024-05-01 12:00:00+00", "0001-01-01 00:00:00+00", "9999-12-31 23:59:59.999999+00",
                "2024-05-01 12:00:00.5+00")) {
            assertEquals(true, matches(CheckedText.TIMESTAMP, copied), copied);
        }
        for (String typed : List.of("0044-03-15 00:00:00+00 BC", "10000-01-01 00:00:00+00", "infinity", "-infinity",
                "2024-05-01 12:00:00+02", "2024-05-01 12:00:00.+00", "2024-05-01 12:00:00.1234567+00", "2024-05-01 12:00:00",
                "2024-05-01T12:00:00+00", "2024-05-01 12:00+00")) {
            assertEquals(false, matches(CheckedText.TIMESTAMP, typed), typed);
        }
    }

    @Test
    void aDateOfTheYears1To9999IsCopied() {
        for (String copied : List.of("2024-05-01", "0001-01-01", "9999-12-31")) {
            assertEquals(true, matches(CheckedText.DATE, copied), copied);
        }
        for (String typed : List.of("0044-03-15 BC", "10000-01-01", "infinity", "2024-5-01", "2024-05-01 00:00:00+00")) {
            assertEquals(false, matches(CheckedText.DATE, typed), typed);
        }
    }

    @Test
    void aDecimalsDigitsAreCopied() {
        for (String copied : List.of("0", "-0.01", "12.50", "9999999999999999999999999999.0123456789")) {
            assertEquals(true, matches(CheckedText.DECIMAL, copied), copied);
        }
        for (String typed : List.of("NaN", "Infinity", "-Infinity", "-", "1.", ".5", "1.2.3", "1e5", "+1")) {
            assertEquals(false, matches(CheckedText.DECIMAL, typed), typed);
        }
    }

    /** The text as a field between others, as a row holds it. */
    private static boolean matches(CheckedText check, String text) {
        byte[] row = ("7," + text + ",x\n").getBytes(StandardCharsets.US_ASCII);
        return check.matches(row, 2, 2 + text.length());
    }
}
