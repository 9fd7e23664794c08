package io.sluice.runs;

import jakarta.enterprise.context.ApplicationScoped;
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
import java.util.UUID;

/**
 * Owners as OS file locks: this process locks {@code <data>/owners/<id>.lock} for its whole life, and the OS lets go
 * of it when the process ends, however it ends. An owner whose file can be locked by someone else, or that has no
 * file, is gone.
 */
@ApplicationScoped
class FileLockRunOwners implements RunOwners {
    private static final String SUFFIX = ".lock";

    private final Path directory;
    private volatile Held held;

    /** The lock this process holds, kept reachable so that it is not released before the process ends. */
    private record Held(String id, FileChannel channel, FileLock lock) {
    }

    FileLockRunOwners(SluiceConfig config) {
        this.directory = config.dataDir().resolve("owners");
    }

    @Override
    public String self() {
        Held current = held;
        if (current == null) {
            synchronized (this) {
                if (held == null) {
                    held = take();
                }
                current = held;
            }
        }
        return current.id();
    }

    @Override
    public Optional<String> gone(String owner) {
        if (owner.isEmpty()) {
            return Optional.of("it was stored by an earlier version, which recorded no owner");
        }
        if (owner.equals(self())) {
            return Optional.empty();
        }
        Path file = directory.resolve(owner + SUFFIX);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                return Optional.empty();
            }
            // Deleted while locked, so that an owner starting now cannot have taken this file meanwhile.
            Files.deleteIfExists(file);
            lock.release();
            return Optional.of("its owner, process " + owner + ", is gone (its lock " + file + " was free)");
        } catch (NoSuchFileException e) {
            return Optional.of("its owner, process " + owner + ", is gone (it holds no lock in " + directory + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check the lock of run owner " + owner + " at " + file, e);
        }
    }

    /**
     * Creates and locks a file of a new id. Checks that the file is still there once locked: a process that found an
     * older owner gone deletes its file, and must not delete a new one by accident.
     */
    private Held take() {
        try {
            Files.createDirectories(directory);
            while (true) {
                String id = UUID.randomUUID().toString();
                Path file = directory.resolve(id + SUFFIX);
                FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                FileLock lock = tryLock(channel);
                if (lock != null && Files.exists(file)) {
                    return new Held(id, channel, lock);
                }
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take a run owner lock in " + directory, e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // This process holds it: the owner is alive.
            return null;
        }
    }
}
