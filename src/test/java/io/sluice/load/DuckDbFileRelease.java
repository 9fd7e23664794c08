package io.sluice.load;

import java.nio.file.Path;

/**
 * Lets a test open a destination file with a database of its own, as another tool would: this process keeps a file
 * attached to its DuckDB database for a while after a run, and an open of an attached file fails ("Unique file handle
 * conflict").
 */
public final class DuckDbFileRelease {
    private DuckDbFileRelease() {
    }

    /** Detaches the file now, whatever its keep-open, unless a connection to it is open. */
    public static void detachIfIdle(Path file) {
        DuckDbFiles.detachIfIdle(file.toAbsolutePath().normalize());
    }
}
