package io.sluice.load;

/** A live run owns the load package asked for, so nobody else may act on it. */
public final class PackageInUseException extends RuntimeException {
    public PackageInUseException(String message) {
        super(message);
    }
}
