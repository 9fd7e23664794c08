package io.sluice.load;

/** A live run owns the load package asked for, so nobody else may act on it. */
public final class PackageInUseException extends RuntimeException {
    public PackageInUseException(String pipeline, String loadId) {
        super("load package " + loadId + " of pipeline " + pipeline + " is in use by a live run; wait for it to end");
    }
}
