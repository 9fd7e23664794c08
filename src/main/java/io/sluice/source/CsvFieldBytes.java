package io.sluice.source;

import io.sluice.schema.DataType;
import io.sluice.schema.IsoText;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The bytes of a CSV field being scanned, seen as characters while they are ASCII, so that {@link CsvFields} judges
 * most fields without a string being made of them.
 */
final class CsvFieldBytes implements CharSequence {
    /** Whether bytes outside ASCII are invalid, rather than read as UTF-8. */
    private final boolean asciiOnly;
    private byte[] bytes = new byte[256];
    private int length;
    private boolean ascii = true;

    CsvFieldBytes(boolean asciiOnly) {
        this.asciiOnly = asciiOnly;
    }

    void add(byte next) {
        if (length == bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        bytes[length++] = next;
        ascii &= next >= 0;
    }

    /** Adds {@code source}'s bytes from {@code from} to {@code to}, which are all ASCII when {@code asciiBytes}. */
    void add(byte[] source, int from, int to, boolean asciiBytes) {
        int adding = to - from;
        if (length + adding > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + adding));
        }
        System.arraycopy(source, from, bytes, length, adding);
        length += adding;
        ascii &= asciiBytes;
    }

    void clear() {
        length = 0;
        ascii = true;
    }

    boolean isAscii() {
        return ascii;
    }

    CsvFieldBytes copy() {
        CsvFieldBytes copy = new CsvFieldBytes(asciiOnly);
        copy.set(this);
        return copy;
    }

    void set(CsvFieldBytes other) {
        bytes = Arrays.copyOf(other.bytes, Math.max(other.length, 1));
        length = other.length;
        ascii = other.ascii;
    }

    /**
     * The type {@link CsvFields#type} gives this field of ASCII bytes when its shape alone tells it, so most fields are
     * judged in one short look: an integer of at most 18 digits without a leading zero (BIGINT); digits with one point,
     * at most 15 in all (DOUBLE); {@code true} or {@code false} (BOOL); a letter first, not a word of a boolean's length
     * starting as one does (TEXT: no number, date or time starts with a letter); with {@code timestamps} detected, the
     * form of a timestamp most files write ({@link #spellsTimestamp}). Null when the full rules must judge it.
     */
    DataType shapeType(boolean timestamps) {
        byte first = bytes[0];
        if ((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z')) {
            if (spells("true") || spells("false")) {
                return DataType.BOOL;
            }
            boolean mayBeBoolean = (length == 4 || length == 5) && (first == 't' || first == 'T' || first == 'f' || first == 'F');
            return mayBeBoolean ? null : DataType.TEXT;
        }
        int at = first == '-' || first == '+' ? 1 : 0;
        int digitsStart = at;
        int point = -1;
        for (; at < length; at++) {
            byte next = bytes[at];
            if (next == '.' && point < 0) {
                point = at;
            } else if (next < '0' || next > '9') {
                return timestamps && spellsTimestamp() ? DataType.TIMESTAMP : null;
            }
        }
        int digits = length - digitsStart - (point < 0 ? 0 : 1);
        if (point >= 0) {
            return digits >= 1 && digits <= 15 ? DataType.DOUBLE : null;
        }
        boolean leadingZero = digits > 1 && bytes[digitsStart] == '0';
        return digits >= 1 && digits <= 18 && !leadingZero ? DataType.BIGINT : null;
    }

    /** The integer this field spells when {@link #shapeType} judged it BIGINT: a sign or none, then at most 18 digits. */
    long integerValue() {
        boolean negative = bytes[0] == '-';
        long value = 0;
        for (int at = negative || bytes[0] == '+' ? 1 : 0; at < length; at++) {
            value = value * 10 + (bytes[at] - '0');
        }
        return negative ? -value : value;
    }

    /**
     * {@code yyyy-mm-dd[T ]hh:mm:ss[.f…]} with 1 to 6 digits of fraction, then nothing, {@code Z} or {@code ±hh:mm}: the
     * forms of {@link io.sluice.schema.IsoText#isTimestamp} that files write most, which otherwise takes a third of a
     * flat file's scan (its other forms are left to it).
     */
    private boolean spellsTimestamp() {
        if (length < 19 || !digits(0, 4) || bytes[4] != '-' || !digits(5, 2) || bytes[7] != '-' || !digits(8, 2)
                || (bytes[10] != 'T' && bytes[10] != ' ') || !digits(11, 2) || bytes[13] != ':' || !digits(14, 2)
                || bytes[16] != ':' || !digits(17, 2)) {
            return false;
        }
        if (!IsoText.isCalendarDay(number(0, 4), number(5, 2), number(8, 2)) || !IsoText.isClockTime(number(11, 2), number(14, 2),
                number(17, 2))) {
            return false;
        }
        int end = 19;
        if (end < length && bytes[end] == '.') {
            int fraction = end + 1;
            while (fraction < length && bytes[fraction] >= '0' && bytes[fraction] <= '9') {
                fraction++;
            }
            if (fraction - end - 1 < 1 || fraction - end - 1 > 6) {
                return false;
            }
            end = fraction;
        }
        int zone = length - end;
        return zone == 0 || (zone == 1 && bytes[end] == 'Z') || (zone == 6 && (bytes[end] == '+' || bytes[end] == '-')
                && digits(end + 1, 2) && bytes[end + 3] == ':' && digits(end + 4, 2) && IsoText.isOffset(number(end + 1, 2), number(end + 4, 2)));
    }

    /** The number {@code count} digits spell from {@code at}, which {@link #digits} checked. */
    private int number(int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            value = value * 10 + (bytes[i] - '0');
        }
        return value;
    }

    private boolean digits(int at, int count) {
        for (int i = at; i < at + count; i++) {
            if (bytes[i] < '0' || bytes[i] > '9') {
                return false;
            }
        }
        return true;
    }

    private boolean spells(String word) {
        if (length != word.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a digit other than 0 comes before the exponent: the number is not zero, however it is spelled. */
    boolean hasNonZeroDigit() {
        for (int i = 0; i < length && bytes[i] != 'e' && bytes[i] != 'E'; i++) {
            if (bytes[i] >= '1' && bytes[i] <= '9') {
                return true;
            }
        }
        return false;
    }

    boolean hasExponent() {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == 'e' || bytes[i] == 'E') {
                return true;
            }
        }
        return false;
    }

    /** The field decoded, or empty when its bytes are not valid in the encoding (the normal path fails the file). */
    Optional<String> text() {
        if (ascii || length == 0) {
            return Optional.of(toString());
        }
        if (asciiOnly) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, length)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        return (char) bytes[index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().substring(start, end);
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
}
