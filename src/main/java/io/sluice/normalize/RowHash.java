package io.sluice.normalize;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content hash of an item, which SCD2 compares to tell a record's versions apart. It is taken over the item as
 * the source gave it, nested values included, so that a change anywhere in the record makes a new version; it does
 * not depend on the load, on column order, on null fields (absent and null hash alike) or on how the schema typed
 * the values, so an unchanged record hashes the same in every load, even after its table gained columns or widened
 * a type.
 */
final class RowHash {
    private static final Base64.Encoder TEXT = Base64.getUrlEncoder().withoutPadding();
    /** 128 of SHA-256's bits, in 22 characters: collisions stay out of reach at any table size. */
    private static final int BYTES = 16;

    private RowHash() {
    }

    static String of(Map<String, Object> item) {
        StringBuilder canonical = new StringBuilder();
        append(canonical, item);
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] hash = digest.digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
        return TEXT.encodeToString(Arrays.copyOf(hash, BYTES));
    }

    /** A spelling of the value in which each kind is tagged and each text length-prefixed, so no two values meet. */
    private static void append(StringBuilder out, Object value) {
        switch (value) {
            case Map<?, ?> map -> {
                TreeMap<String, Object> sorted = new TreeMap<>();
                map.forEach((key, field) -> {
                    if (field != null) {
                        sorted.put(String.valueOf(key), field);
                    }
                });
                out.append('{').append(sorted.size()).append(':');
                sorted.forEach((key, field) -> {
                    text(out, key);
                    append(out, field);
                });
                out.append('}');
            }
            case List<?> list -> {
                out.append('[').append(list.size()).append(':');
                for (Object element : list) {
                    if (element == null) {
                        out.append('n');
                    } else {
                        append(out, element);
                    }
                }
                out.append(']');
            }
            case String string -> {
                out.append('s');
                text(out, string);
            }
            case Boolean bool -> out.append(bool ? 't' : 'f');
            case BigDecimal decimal -> number(out, decimal);
            case BigInteger integer -> number(out, new BigDecimal(integer));
            case Integer integer -> number(out, BigDecimal.valueOf(integer));
            case Long integer -> number(out, BigDecimal.valueOf(integer));
            case Double real when Double.isFinite(real) -> number(out, BigDecimal.valueOf(real));
            case Float real when Float.isFinite(real) -> number(out, new BigDecimal(Float.toString(real)));
            default -> {
                out.append('o');
                text(out, value.toString());
            }
        }
    }

    /** One number, one spelling: 2, 2.0 and 2.00 hash alike, whichever Java type the reader chose. */
    private static void number(StringBuilder out, BigDecimal number) {
        out.append('d');
        text(out, number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString());
    }

    private static void text(StringBuilder out, String text) {
        out.append(text.length()).append(':').append(text);
    }
}
