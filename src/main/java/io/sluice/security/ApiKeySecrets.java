package io.sluice.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes API key secrets and checks them against the hashes that are all the service keeps. A secret is
 * {@code sk_<id>_<64 hex digits>}: the id finds the stored hash, and 256 random bits make a plain SHA-256 hash
 * enough (there is nothing to guess a dictionary for).
 */
public final class ApiKeySecrets {
    private static final Pattern SECRET = Pattern.compile("sk_([0-9a-f]{12})_([0-9a-f]{64})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private ApiKeySecrets() {
    }

    /** A new key: its id and the secret a caller presents. */
    public static NewKey generate() {
        String id = HEX.formatHex(randomBytes(6));
        return new NewKey(id, "sk_" + id + "_" + HEX.formatHex(randomBytes(32)));
    }

    /** The id of the key a bearer token names, if the token has the shape of an API key. */
    public static Optional<String> keyId(String token) {
        Matcher matcher = SECRET.matcher(token);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** The hash to store for a secret: SHA-256, in hex. */
    public static String hash(String secret) {
        return HEX.formatHex(sha256(secret));
    }

    /** Whether the secret hashes to the stored hash, compared in constant time. */
    public static boolean matches(String secret, String storedHash) {
        byte[] expected;
        try {
            expected = HEX.parseHex(storedHash);
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(sha256(secret), expected);
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A key as it is created: the only moment its secret exists outside the caller's hands. */
    public record NewKey(String id, String secret) {
    }
}
