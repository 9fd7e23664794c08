package io.sluice.security;

/** A call's credential is missing, unknown, expired, forged or revoked. The message never repeats the credential. */
public final class AuthenticationException extends RuntimeException {
    public AuthenticationException(String message) {
        super(message);
    }
}
