package io.sluice.source.sql;

/**
 * The text PostgreSQL writes for a value of a copied column whose every value must be checked as it comes: only text
 * that the destinations read as the value the typed rows stage is copied (see {@link CopiedRows}).
 */
enum CheckedText {
    /**
     * A timestamp in UTC of the years 1 to 9999, {@code 2024-05-01 12:00:00[.ffffff]+00}: an ISO timestamp. PostgreSQL
     * writes a year before 1 with {@code BC}, and infinity as a word, which the typed rows hand to the table's contract.
     */
    TIMESTAMP,
    /** A date of the years 1 to 9999, {@code 2024-05-01}, as a timestamp's is. */
    DATE,
    /**
     * A decimal's digits, {@code -12.50}: PostgreSQL writes no exponent, but {@code NaN} and infinities as words, which the
     * typed rows cannot read as decimals.
     */
    DECIMAL;

    private static final String UTC_TIMESTAMP = "dddd-dd-dd dd:dd:dd+00";
    private static final String ISO_DATE = "dddd-dd-dd";
    /** Where a timestamp's fraction, if any, starts. */
    private static final int FRACTION = 19;

    /** The check of a column of {@code kind}'s text; null when its text is copied as it is. */
    static CheckedText of(ColumnKind kind) {
        return switch (kind) {
            case TIMESTAMP, TIMESTAMP_WITH_TIME_ZONE -> TIMESTAMP;
            case DATE -> DATE;
            case DECIMAL -> DECIMAL;
            case BOOL, INTEGER, DOUBLE, TEXT, TIME, JSON, ARRAY, BINARY -> null;
        };
    }

    /** Whether {@code row[from, to)}, a field that is not empty, is such text. */
    boolean matches(byte[] row, int from, int to) {
        return switch (this) {
            case TIMESTAMP -> utcTimestamp(row, from, to);
            case DATE -> to - from == ISO_DATE.length() && shaped(row, from, ISO_DATE);
            case DECIMAL -> digits(row, from, to);
        };
    }

    /** {@link #UTC_TIMESTAMP}, with a fraction of 1 to 6 digits or none. */
    private static boolean utcTimestamp(byte[] row, int from, int to) {
        int fraction = to - from - UTC_TIMESTAMP.length();
        if (fraction != 0 && (fraction < 2 || fraction > 7 || row[from + FRACTION] != '.')) {
            return false;
        }
        for (int at = from + FRACTION + 1; at < from + FRACTION + fraction; at++) {
            if (!digit(row[at])) {
                return false;
            }
        }
        return shaped(row, from, UTC_TIMESTAMP.substring(0, FRACTION))
                && shaped(row, from + FRACTION + fraction, UTC_TIMESTAMP.substring(FRACTION));
    }

    /** Whether the bytes from {@code from} are {@code shape}'s: a digit for each {@code d}, the character itself else. */
    private static boolean shaped(byte[] row, int from, String shape) {
        for (int at = 0; at < shape.length(); at++) {
            char expected = shape.charAt(at);
            if (expected == 'd' ? !digit(row[from + at]) : row[from + at] != expected) {
                return false;
            }
        }
        return true;
    }

    /** {@code -?d+(.d+)?}. */
    private static boolean digits(byte[] row, int from, int to) {
        int at = row[from] == '-' ? from + 1 : from;
        int point = -1;
        for (int index = at; index < to; index++) {
            if (row[index] == '.' && point < 0) {
                point = index;
            } else if (!digit(row[index])) {
                return false;
            }
        }
        return to > at && point != at && point != to - 1;
    }

    private static boolean digit(byte next) {
        return next >= '0' && next <= '9';
    }
}
