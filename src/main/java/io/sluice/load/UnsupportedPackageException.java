package io.sluice.load;

/** A load package written by a newer build, in a layout this build cannot read; it is left as it is. */
public final class UnsupportedPackageException extends RuntimeException {
    UnsupportedPackageException(String message) {
        super(message);
    }
}
