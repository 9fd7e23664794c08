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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

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
        return released(owner);
    }

    /** Why another process's owner is gone, removing its file then, or empty while it holds its lock. */
    private Optional<String> released(String owner) {
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
     * Creates and locks a file of a new id, then removes the files of owners that are gone (a process that ended
     * leaves its file behind, unlocked). Checks that its file is still there once locked: a process removing gone
     * owners' files must not have removed this one just before it was locked.
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
                    removeGone(id);
                    return new Held(id, channel, lock);
                }
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take a run owner lock in " + directory, e);
        }
    }

    private void removeGone(String self) throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(directory)) {
            files = listed.filter(file -> file.getFileName().toString().endsWith(SUFFIX)).toList();
        }
        for (Path file : files) {
            String owner = file.getFileName().toString().substring(0, file.getFileName().toString().length() - SUFFIX.length());
            if (!owner.equals(self)) {
                released(owner);
            }
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
