package io.sluice.schema;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The snake_case naming convention for tables and columns. Every function here is deterministic: the same source
 * name always maps to the same identifier, in every run. Identifiers are always quoted in SQL, so reserved words
 * (select, order) stay as they are.
 */
public final class Naming {
    /** Joins a parent name and a nested field: {@code page__path}, {@code orders__items}. */
    public static final String NESTING = "__";
    private static final String VARIANT = "__v_";

    /** The shortest identifier limit names can be shortened to: a hash suffix and the names Sluice gives its own columns fit. */
    public static final int SHORTEST_LIMIT = 16;

    private final int maxLength;

    /** @param maxLength the destination's identifier limit, in bytes */
    public Naming(int maxLength) {
        if (maxLength < SHORTEST_LIMIT) {
            throw new IllegalArgumentException("identifier limit " + maxLength + " is too small");
        }
        this.maxLength = maxLength;
    }

    /** The identifier for a source name, shortened to the limit. */
    public String identifier(String sourceName) {
        return shorten(snakeCase(sourceName));
    }

    /** A nested name: parent and child joined, shortened to the limit. */
    public String nested(String parent, String childSourceName) {
        return shorten(parent + NESTING + snakeCase(childSourceName));
    }

    /** The column holding values of {@code type} that did not fit {@code column}. */
    public String variant(String column, DataType type) {
        return shorten(column + VARIANT + type.name().toLowerCase(Locale.ROOT));
    }

    /** Another identifier for a source name whose usual one is taken by a different source name. */
    public String disambiguated(String identifier, String sourceName) {
        return shorten(identifier + "_" + hash(sourceName).substring(0, 6));
    }

    /** Longer than the limit: cut, and end in a hash of the whole name, so that two long names stay apart. */
    public String shorten(String identifier) {
        if (identifier.getBytes(StandardCharsets.UTF_8).length <= maxLength) {
            return identifier;
        }
        String suffix = "_" + hash(identifier);
        return identifier.substring(0, maxLength - suffix.length()) + suffix;
    }

    public static String snakeCase(String name) {
        String ascii = Normalizer.normalize(transliterated(name), Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String spaced = ascii
                .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                .replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2");
        String snake = spaced.toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_+|_+$", "");
        if (snake.isEmpty()) {
            return name.isEmpty() ? "_" : "_" + hash(name).substring(0, 6);
        }
        return Character.isDigit(snake.charAt(0)) ? "_" + snake : snake;
    }

    /** Letters that do not decompose into a base letter and marks. */
    private static String transliterated(String name) {
        return name.replace("ß", "ss").replace("æ", "ae").replace("Æ", "AE").replace("ø", "o").replace("Ø", "O")
                .replace("œ", "oe").replace("Œ", "OE").replace("ł", "l").replace("Ł", "L").replace("đ", "d").replace("Đ", "D");
    }

    /** 64-bit FNV-1a of the UTF-8 bytes, in base 36: short, stable across runs and machines. */
    static String hash(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        String digits = Long.toUnsignedString(hash, 36);
        return "0".repeat(13 - digits.length()) + digits;
    }
}
