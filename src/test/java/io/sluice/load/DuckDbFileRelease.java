package io.sluice.load;

import java.nio.file.Path;
import java.sql.SQLException;

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

    /**
     * Detaches every idle file now, whatever its keep-open: nothing of this process changes a DuckDB file after this (a
     * detach checkpoints the file and removes its log) until a run uses one again.
     */
    public static void detachAllIdle() {
        DuckDbFiles.closeAllKept();
    }

    /** Whether an open failed because a database of this process still has the file (the destination's own check). */
    public static boolean heldByAnotherDatabase(SQLException failure) {
        return DuckDbFiles.heldByAnotherDatabase(failure);
    }
}
