package io.sluice.load;

/** No pending load package has the load id asked for. */
public final class PackageNotFoundException extends RuntimeException {
    public PackageNotFoundException(String message) {
        super(message);
    }
}
