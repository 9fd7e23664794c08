package io.sluice.catalog;

/** The caller's etag is not the stored one: someone else changed the resource since the caller read it. */
public final class EtagMismatchException extends RuntimeException {
    public EtagMismatchException(String message) {
        super(message);
    }
}
