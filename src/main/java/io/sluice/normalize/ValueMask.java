package io.sluice.normalize;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a mask makes of one value: the value's text hashed, replaced or cut. Every result is text, so a masked column
 * is a text column. A list is masked element by element (its nested table keeps its rows); an object is masked as its
 * JSON text with the keys sorted, so the same object always masks the same.
 */
sealed interface ValueMask {
    /** Replaces what a redacted value held. */
    String REDACTED = "[REDACTED]";

    String masked(String text);

    /** The masked value; null stays null, as there is nothing to hide. */
    default Object apply(Object value) {
        return switch (value) {
            case null -> null;
            case List<?> list -> list.stream().map(this::apply).toList();
            default -> masked(ValueText.of(value));
        };
    }

    /** The lower-case hex HMAC-SHA256 of the text's UTF-8 bytes: the same for the same text and key in every run. */
    final class HmacSha256 implements ValueMask {
        private static final String ALGORITHM = "HmacSHA256";
        private final Mac mac;

        /** @param key the key's text, whose UTF-8 bytes are the HMAC key; not empty */
        HmacSha256(String key) {
            try {
                mac = Mac.getInstance(ALGORITHM);
                mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                // Neither message holds the key.
                throw new IllegalStateException("every Java runtime has " + ALGORITHM, e);
            }
        }

        @Override
        public String masked(String text) {
            // doFinal resets the Mac for the next value; a resource's items are masked on one thread.
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    record Redact() implements ValueMask {
        @Override
        public String masked(String text) {
            return REDACTED;
        }
    }

    /** The first {@code keepCharacters} characters (code points, so no character is cut in half). */
    record Truncate(int keepCharacters) implements ValueMask {
        public Truncate {
            if (keepCharacters < 1) {
                throw new IllegalArgumentException("keepCharacters must be at least 1, not " + keepCharacters);
            }
        }

        @Override
        public String masked(String text) {
            return text.codePointCount(0, text.length()) <= keepCharacters ? text
                    : text.substring(0, text.offsetByCodePoints(0, keepCharacters));
        }
    }
}
