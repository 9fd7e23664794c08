package io.sluice.catalog;

/** A page token that this server did not issue. */
public final class InvalidPageTokenException extends RuntimeException {
    public InvalidPageTokenException(String message) {
        super(message);
    }
}
