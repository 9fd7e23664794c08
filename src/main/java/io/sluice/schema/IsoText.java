package io.sluice.schema;

import java.util.Set;

/**
 * Recognises ISO 8601 dates, times and date-times by their characters. Every text value of every row passes
 * here when detections are on, so this is a scan, not a regular expression. It reads any characters, so that text a
 * source has only as bytes is judged by the same rules as text it made a string of. Only values both destinations
 * read are recognised ({@link #isCalendarDay}, {@link #isClockTime}, {@link #isOffset}): a value of the right shape
 * that names no moment (30 February, 25 o'clock) is text, which the table's contract handles as a value of another
 * type, where it would otherwise fail the whole load.
 */
public final class IsoText {
    private IsoText() {
    }

    /** The type a text value is detected as under {@code detections}: a timestamp, date or time it spells, else text. */
    public static DataType typeOf(CharSequence text, Set<Detection> detections) {
        if (detections.isEmpty() || text.length() < 5 || text.length() > 35 || !Character.isDigit(text.charAt(0))) {
            return DataType.TEXT;
        }
        if (detections.contains(Detection.ISO_TIMESTAMP) && isTimestamp(text)) {
            return DataType.TIMESTAMP;
        }
        if (detections.contains(Detection.ISO_DATE) && isDate(text)) {
            return DataType.DATE;
        }
        if (detections.contains(Detection.ISO_TIME) && isTime(text)) {
            return DataType.TIME;
        }
        return DataType.TEXT;
    }

    /** {@code yyyy-mm-dd[T ]hh:mm[:ss[.ffffff]][Z|±hh[:]mm]}, at most microseconds. */
    public static boolean isTimestamp(CharSequence text) {
        if (text.length() < 16 || !isDate(text, 0) || (text.charAt(10) != 'T' && text.charAt(10) != ' ')) {
            return false;
        }
        int end = timeEnd(text, 11);
        if (end < 0) {
            return false;
        }
        if (end == text.length()) {
            return true;
        }
        char zone = text.charAt(end);
        if (zone == 'Z') {
            return end + 1 == text.length();
        }
        if (zone != '+' && zone != '-') {
            return false;
        }
        int rest = text.length() - end - 1;
        return (rest == 2 && digits(text, end + 1, 2) && isOffset(number(text, end + 1, 2), 0))
                || (rest == 4 && digits(text, end + 1, 4) && isOffset(number(text, end + 1, 2), number(text, end + 3, 2)))
                || (rest == 5 && digits(text, end + 1, 2) && text.charAt(end + 3) == ':' && digits(text, end + 4, 2)
                    && isOffset(number(text, end + 1, 2), number(text, end + 4, 2)));
    }

    /**
     * Whether the numbers name a day of the calendar: from year 1 (PostgreSQL has no year 0), a month's own days, 29
     * February in leap years only.
     */
    public static boolean isCalendarDay(int year, int month, int day) {
        if (year < 1 || month < 1 || month > 12 || day < 1) {
            return false;
        }
        boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        int days = switch (month) {
            case 2 -> leap ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
        return day <= days;
    }

    /**
     * Whether the numbers name a time of day: hours 0–23, or 24:00:00 (the next day's start, which both destinations
     * read), minutes and seconds 0–59 (DuckDB reads no leap second).
     */
    public static boolean isClockTime(int hour, int minute, int second) {
        return minute <= 59 && second <= 59 && (hour <= 23 || (hour == 24 && minute == 0 && second == 0));
    }

    /** Whether the numbers are an offset from UTC PostgreSQL reads: at most 15:59. */
    public static boolean isOffset(int hours, int minutes) {
        return hours <= 15 && minutes <= 59;
    }

    public static boolean isDate(CharSequence text) {
        return text.length() == 10 && isDate(text, 0);
    }

    /** {@code hh:mm[:ss[.ffffff]]}. */
    public static boolean isTime(CharSequence text) {
        return timeEnd(text, 0) == text.length();
    }

    private static boolean isDate(CharSequence text, int at) {
        return text.length() >= at + 10 && digits(text, at, 4) && text.charAt(at + 4) == '-' && digits(text, at + 5, 2)
                && text.charAt(at + 7) == '-' && digits(text, at + 8, 2)
                && isCalendarDay(number(text, at, 4), number(text, at + 5, 2), number(text, at + 8, 2));
    }

    /** Where a time starting at {@code at} ends, or -1 when none starts there. */
    private static int timeEnd(CharSequence text, int at) {
        if (text.length() < at + 5 || !digits(text, at, 2) || text.charAt(at + 2) != ':' || !digits(text, at + 3, 2)) {
            return -1;
        }
        int end = at + 5;
        int second = 0;
        if (end < text.length() && text.charAt(end) == ':') {
            if (!digits(text, end + 1, 2)) {
                return -1;
            }
            second = number(text, end + 1, 2);
            end += 3;
            if (end < text.length() && text.charAt(end) == '.') {
                int fraction = end + 1;
                while (fraction < text.length() && Character.isDigit(text.charAt(fraction))) {
                    fraction++;
                }
                int count = fraction - end - 1;
                if (count < 1 || count > 6) {
                    return -1;
                }
                end = fraction;
            }
        }
        return isClockTime(number(text, at, 2), number(text, at + 3, 2), second) ? end : -1;
    }

    /** The number {@code count} ASCII digits spell from {@code at}, which {@link #digits} checked. */
    private static int number(CharSequence text, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    private static boolean digits(CharSequence text, int at, int count) {
        if (text.length() < at + count) {
            return false;
        }
        for (int i = at; i < at + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
