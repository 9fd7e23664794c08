package io.sluice.source;

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
