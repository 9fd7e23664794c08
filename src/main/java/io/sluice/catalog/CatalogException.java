package io.sluice.catalog;

/** The catalog could not be read or written. */
public final class CatalogException extends RuntimeException {
    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
