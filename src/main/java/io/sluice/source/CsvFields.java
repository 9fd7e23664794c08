package io.sluice.source;

import io.sluice.schema.DataType;
import io.sluice.schema.Detection;
import io.sluice.schema.IsoText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Set;

/**
 * What a CSV field spells: CSV has no types, so each field is read as the narrowest of boolean, integer, number or
 * text it spells, and an empty field is null. Both ways of reading a CSV file ask here: the one that makes a value of
 * every field, and the one that only says which type each field would make ({@link CsvScan}).
 */
final class CsvFields {
    private CsvFields() {
    }

    /** The value of a field. Every field of every row passes here. */
    static Object value(String text) {
        if (text.isEmpty()) {
            return null;
        }
        if (isBoolean(text)) {
            return Boolean.valueOf(text.toLowerCase(Locale.ROOT));
        }
        return switch (numberKind(text)) {
            case INTEGER -> Long.parseLong(text);
            case BIG_INTEGER -> new BigInteger(text);
            case DECIMAL -> Double.parseDouble(text);
            case EXACT_DECIMAL -> new BigDecimal(text);
            case NONE -> text;
        };
    }

    /**
     * The column type the value of a non-empty field is inferred as under {@code detections}, as normalize infers it,
     * or null for a number whose type depends on its magnitude (a wide integer, an exact decimal), which only its value
     * tells.
     */
    static DataType type(CharSequence text, Set<Detection> detections) {
        if (isBoolean(text)) {
            return DataType.BOOL;
        }
        return switch (numberKind(text)) {
            case INTEGER -> DataType.BIGINT;
            case DECIMAL -> DataType.DOUBLE;
            case BIG_INTEGER, EXACT_DECIMAL -> null;
            case NONE -> IsoText.typeOf(text, detections);
        };
    }

    private static boolean isBoolean(CharSequence text) {
        int length = text.length();
        return (length == 4 || length == 5) && (equalsIgnoringCase(text, "true") || equalsIgnoringCase(text, "false"));
    }

    /** {@link String#equalsIgnoreCase}'s rule for an ASCII word, on any characters. */
    private static boolean equalsIgnoringCase(CharSequence text, String word) {
        if (text.length() != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            char c = text.charAt(i);
            if (c != word.charAt(i) && Character.toLowerCase(Character.toUpperCase(c)) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    enum NumberKind {
        INTEGER,
        BIG_INTEGER,
        DECIMAL,
        /** More digits than a double holds exactly. */
        EXACT_DECIMAL,
        NONE
    }

    /**
     * An integer without leading zeros (so "00501" stays text), or a decimal number; those with more digits than
     * a long or a double keeps exactly are read exactly.
     */
    static NumberKind numberKind(CharSequence text) {
        int at = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
        int digitsStart = at;
        while (at < text.length() && Character.isDigit(text.charAt(at))) {
            at++;
        }
        int integerDigits = at - digitsStart;
        if (at == text.length()) {
            boolean leadingZero = integerDigits > 1 && text.charAt(digitsStart) == '0';
            return integerDigits == 0 || leadingZero ? NumberKind.NONE
                    : integerDigits <= 18 ? NumberKind.INTEGER : NumberKind.BIG_INTEGER;
        }
        int fractionDigits = 0;
        if (text.charAt(at) == '.') {
            at++;
            while (at < text.length() && Character.isDigit(text.charAt(at))) {
                at++;
                fractionDigits++;
            }
        }
        if (integerDigits + fractionDigits == 0) {
            return NumberKind.NONE;
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            at++;
            if (at < text.length() && (text.charAt(at) == '-' || text.charAt(at) == '+')) {
                at++;
            }
            int exponentStart = at;
            while (at < text.length() && Character.isDigit(text.charAt(at))) {
                at++;
            }
            if (at == exponentStart) {
                return NumberKind.NONE;
            }
        }
        if (at != text.length()) {
            return NumberKind.NONE;
        }
        return integerDigits + fractionDigits > 15 ? NumberKind.EXACT_DECIMAL : NumberKind.DECIMAL;
    }
}
