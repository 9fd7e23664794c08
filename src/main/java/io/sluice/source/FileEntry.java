package io.sluice.source;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A file a {@link FileStore} lists.
 *
 * @param path where it is, relative to the store's base (with {@code /} between directories): its name in state,
 *             messages and the file name column
 * @param size its length in bytes
 * @param modified when it was last written
 */
public record FileEntry(String path, long size, Instant modified) {
    public FileEntry {
        requireNonNull(path, "path is null");
        requireNonNull(modified, "modified is null");
        if (size < 0) {
            throw new IllegalArgumentException("size of " + path + " is negative");
        }
    }
}
