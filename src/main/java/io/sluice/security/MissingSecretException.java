package io.sluice.security;

/** A secret a spec names cannot be found. The message names the secret, never a value. */
public final class MissingSecretException extends RuntimeException {
    public MissingSecretException(String message) {
        super(message);
    }
}
