package io.sluice.load;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/** A DuckDB file takes one writer at a time: runs of this process that load into the same file take turns. */
final class DuckDbFiles {
    private static final ConcurrentMap<Path, ReentrantLock> WRITERS = new ConcurrentHashMap<>();

    private DuckDbFiles() {
    }

    static ReentrantLock writerLock(Path file) {
        return WRITERS.computeIfAbsent(file, ignored -> new ReentrantLock(true));
    }
}
