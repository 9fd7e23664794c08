package io.sluice.catalog;

/** Something with that name exists already. */
public final class AlreadyExistsException extends RuntimeException {
    public AlreadyExistsException(String message) {
        super(message);
    }
}
