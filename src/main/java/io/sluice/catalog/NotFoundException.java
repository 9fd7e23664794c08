package io.sluice.catalog;

/** Nothing has that name. */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
