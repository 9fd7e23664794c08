package io.sluice.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Ownership of something in the data directory, shared by every process using it: an OS file lock on one file, so
 * that a process that dies gives up what it owned. Load packages are owned this way, and so is a pipeline's turn.
 */
public final class OwnerLock implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private OwnerLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock on {@code file} (created if missing), or empty when another process, or another owner here, holds it. */
    public static Optional<OwnerLock> tryTake(Path file) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
        return tryTakeIn(file);
    }

    /**
     * Takes the lock on {@code file} (created if missing) in a directory that exists, or empty when another owner holds
     * it or the directory is gone. What another owner removed while this one looked is not this one's to make again:
     * a run claiming a pipeline's packages lists one that the run that committed it is removing.
     */
    static Optional<OwnerLock> tryTakeIn(Path file) {
        return tryTakeIn(file, () -> { });
    }

    /**
     * {@link #tryTakeIn(Path)}, with {@code opened} run between opening the file and locking it: where another owner may
     * remove it (tests stand in for that owner there).
     */
    static Optional<OwnerLock> tryTakeIn(Path file, Runnable opened) {
        try {
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            opened.run();
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            // An owner removes the file (or moves its directory away) before it lets go, so a lock taken after that is on
            // a file nobody finds any more, and what it guarded is gone.
            if (lock == null || !Files.exists(file)) {
                channel.close();
                return Optional.empty();
            }
            return Optional.of(new OwnerLock(file, channel, lock));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    /** Gives the ownership up; the file stays. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock on " + file, e);
        }
    }
}
