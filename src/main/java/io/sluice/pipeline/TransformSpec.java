package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A change to the fields of one resource's items, made before any of their rows is written: pseudonymised, redacted,
 * truncated or dropped. A pipeline's transforms apply in the order its spec lists them.
 */
public sealed interface TransformSpec {
    /** The resource whose items change, by its name in the source. */
    String resource();

    /** The fields that change; never empty. */
    List<FieldPath> columns();

    /** Each value replaced by the lower-case hex HMAC-SHA256 of its text under the key the secret {@code keySecret} holds. */
    record HmacSha256(String resource, List<FieldPath> columns, String keySecret) implements TransformSpec {
        public HmacSha256 {
            columns = checked(resource, columns);
            requireNonNull(keySecret, "keySecret is null");
            if (keySecret.isEmpty()) {
                throw new IllegalArgumentException("keySecret is empty");
            }
        }
    }

    /** Each value replaced by a fixed marker; the column stays. */
    record Redact(String resource, List<FieldPath> columns) implements TransformSpec {
        public Redact {
            columns = checked(resource, columns);
        }
    }

    /** Each value's text cut to its first {@code keepCharacters} characters. */
    record Truncate(String resource, List<FieldPath> columns, int keepCharacters) implements TransformSpec {
        public Truncate {
            columns = checked(resource, columns);
            if (keepCharacters < 1) {
                throw new IllegalArgumentException("keepCharacters must be at least 1, not " + keepCharacters);
            }
        }
    }

    /** Each field removed, so its column is not loaded. */
    record Drop(String resource, List<FieldPath> columns) implements TransformSpec {
        public Drop {
            columns = checked(resource, columns);
        }
    }

    private static List<FieldPath> checked(String resource, List<FieldPath> columns) {
        requireNonNull(resource, "resource is null");
        List<FieldPath> copied = List.copyOf(requireNonNull(columns, "columns is null"));
        if (copied.isEmpty()) {
            throw new IllegalArgumentException("columns is empty");
        }
        return copied;
    }
}
