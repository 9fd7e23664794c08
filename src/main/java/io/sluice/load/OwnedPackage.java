package io.sluice.load;

import io.sluice.schema.TableFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A load package this process owns: it may seal it, move its jobs, and delete it. Its manifest is read once, when the
 * package is claimed (or written by the seal), and its jobs are found by their state on disk whenever asked, so
 * nothing it hands out goes stale. Closing gives the package up (it stays on disk).
 *
 * <p>A package appears under its load id already owned, and leaves it while still owned: it is made, and removed or
 * moved away, under a hidden name ({@code .<load id>.new}, {@code .<load id>.gone}) that nobody claims. Otherwise a run
 * claiming the pipeline's packages could take one between its directory and its lock being made, or one that its
 * owner is removing, and make its lock file again inside it.
 */
public final class OwnedPackage implements AutoCloseable {
    private static final String LOCK = ".owner";
    private static final String HIDDEN = ".";
    private static final String MAKING = ".new";
    private static final String REMOVING = ".gone";
    /**
     * A package being made is renamed into place the moment its lock is taken, so one still being made after this long
     * is what a process that died in between left.
     */
    private static final Duration MADE_LONG_AGO = Duration.ofMinutes(1);
    private static final String FAILURE_SUFFIX = ".exception";
    private static final String LAST_FAILURE = "last_failure.txt";

    private final Path directory;
    private final OwnerLock lock;
    private final Optional<Path> loaded;
    private Optional<PackageManifest> manifest;

    private OwnedPackage(Path directory, OwnerLock lock, Optional<Path> loaded, Optional<PackageManifest> manifest) {
        this.directory = directory;
        this.lock = lock;
        this.loaded = loaded;
        this.manifest = manifest;
    }

    /**
     * The package in {@code directory}, with its manifest when it is sealed, or empty when someone else owns it or it is
     * gone (never made again here).
     *
     * @throws UnsupportedPackageException when a newer build sealed it; it is not claimed then
     */
    static Optional<OwnedPackage> claim(Path directory, Optional<Path> loaded) {
        Optional<OwnerLock> lock = OwnerLock.tryTakeIn(directory.resolve(LOCK));
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<PackageManifest> manifest = PackageManifest.exists(directory)
                    ? Optional.of(PackageManifest.read(directory)) : Optional.empty();
            return Optional.of(new OwnedPackage(directory, lock.get(), loaded, manifest));
        } catch (RuntimeException e) {
            lock.get().close();
            throw e;
        }
    }

    /**
     * A new package in {@code directory}, owned from the moment it appears there.
     *
     * @throws IllegalStateException when a package of that load id exists
     */
    static OwnedPackage make(Path directory, Optional<Path> loaded) {
        if (Files.exists(directory)) {
            throw new IllegalStateException("load package " + directory + " exists already");
        }
        Path making = aside(directory, MAKING);
        String madeElsewhere = "load package " + directory + " is being made by another owner";
        try {
            Files.createDirectories(directory.getParent());
            Files.createDirectory(making);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException(madeElsewhere, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create load package directory " + directory, e);
        }
        OwnerLock lock = OwnerLock.tryTakeIn(making.resolve(LOCK)).orElseThrow(() -> new IllegalStateException(madeElsewhere));
        try {
            Files.move(making, directory, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            lock.close();
            removeQuietly(making);
            throw new UncheckedIOException("cannot create load package directory " + directory, e);
        }
        return new OwnedPackage(directory, lock, loaded, Optional.empty());
    }

    /** Whether {@code directory} is a package's hidden name, which only its owner uses. */
    static boolean hidden(Path directory) {
        return directory.getFileName().toString().startsWith(HIDDEN);
    }

    /**
     * Removes what a process that died while making or removing a package under {@code hiddenDirectory} left: a removal
     * is finished at once (it holds nothing anyone wants, and removing it twice at once is harmless), a package being
     * made only once it was made long ago and nobody owns it.
     */
    static void removeLeftover(Path hiddenDirectory) {
        String name = hiddenDirectory.getFileName().toString();
        try {
            if (name.endsWith(REMOVING)) {
                removeTree(hiddenDirectory);
            } else if (name.endsWith(MAKING) && Files.getLastModifiedTime(hiddenDirectory).toInstant()
                    .isBefore(Instant.now().minus(MADE_LONG_AGO))) {
                Optional<OwnerLock> lock = OwnerLock.tryTakeIn(hiddenDirectory.resolve(LOCK));
                if (lock.isPresent()) {
                    new OwnedPackage(hiddenDirectory, lock.get(), Optional.empty(), Optional.empty()).delete();
                }
            }
        } catch (NoSuchFileException e) {
            // removed by whoever else saw it
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove what is left of load package " + hiddenDirectory, e);
        }
    }

    public Path directory() {
        return directory;
    }

    /**
     * Makes the package whole: its staged files become new jobs (the other states' folders are made too), then its
     * manifest, naming the run that sealed it, is written to a temporary file and moved into place. The package's
     * pipeline and load id are its directory's names.
     */
    public void seal(PackageContents contents, String sealedByRun) {
        Path newJobs = directory.resolve(LoadPackages.JobState.NEW.folder());
        List<PackageManifest.JobFile> files = new ArrayList<>();
        try {
            // Every state's folder, as dlt lays a package out: one who looks in finds each, empty or not.
            for (LoadPackages.JobState state : LoadPackages.JobState.values()) {
                Files.createDirectories(directory.resolve(state.folder()));
            }
            for (TableFile file : contents.stagedFiles()) {
                String name = file.file().getFileName().toString();
                Files.move(file.file(), newJobs.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                files.add(new PackageManifest.JobFile(file.table(), file.columns(), name, file.rows(), file.longestLine(),
                        file.layout()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot seal load package " + directory, e);
        }
        PackageManifest sealed = new PackageManifest(PackageManifest.formatVersion(files), directory.getParent().getFileName().toString(),
                contents.dataset(), directory.getFileName().toString(), files, contents.commit().newSchema(),
                contents.commit().replacedTables(), contents.commit().mergedTables(), contents.commit().droppedTables(),
                contents.commit().newState(), sealedByRun,
                Optional.of(Instant.now().truncatedTo(ChronoUnit.MICROS)));
        sealed.write(directory);
        manifest = Optional.of(sealed);
    }

    /** The package as sealed, or empty when it was never sealed. */
    public Optional<LoadPackage> sealed() {
        return manifest.map(sealed -> sealed.loadPackage(directory));
    }

    /** The run that sealed the package ("" when a version that did not record it did). */
    public String sealedByRun() {
        return sealedManifest().sealedByRun();
    }

    /** The jobs of the sealed package, in package order. */
    public List<LoadPackages.LoadJob> jobs() {
        return sealedManifest().loadPackage(directory).jobs();
    }

    /** The sealed package as an operator sees it, owned by a live run: this one. */
    public LoadPackages.PendingPackage pending() {
        return describe(true);
    }

    LoadPackages.PendingPackage describe(boolean ownedByLiveRun) {
        return PendingLoadPackages.describe(directory, sealedManifest(), ownedByLiveRun);
    }

    /**
     * Keeps why the package's last load failed, for whoever looks into it; a later failure replaces it whole, so an
     * operator listing the package as it is replaced reads one reason or the other, never a part.
     */
    public void loadFailed(String reason) {
        Path failure = directory.resolve(LAST_FAILURE);
        Path written = failure.resolveSibling(LAST_FAILURE + ".new");
        try {
            Files.writeString(written, reason);
            Files.move(written, failure, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record why load package " + directory + " failed", e);
        }
    }

    /** Why the package's last load failed, if one did. */
    static Optional<String> lastFailure(Path directory) {
        try {
            Path failure = directory.resolve(LAST_FAILURE);
            return Files.exists(failure) ? Optional.of(Files.readString(failure)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read why load package " + directory + " failed", e);
        }
    }

    /** Moves a job to {@code state}'s folder, atomically: after a crash it is in one folder or the other. */
    public LoadPackages.LoadJob move(LoadPackages.LoadJob job, LoadPackages.JobState state) {
        LoadPackages.JobState from = job.state();
        Path source = job.path(from);
        Path target = job.path(state);
        try {
            Files.createDirectories(target.getParent());
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            if (from == LoadPackages.JobState.FAILED) {
                Files.deleteIfExists(failureFile(source));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move load job " + source + " to " + state.folder(), e);
        }
        return job;
    }

    /** Marks a job failed, keeping why beside its file for whoever looks into the package. */
    public LoadPackages.LoadJob fail(LoadPackages.LoadJob job, String reason) {
        move(job, LoadPackages.JobState.FAILED);
        Path failed = job.path(LoadPackages.JobState.FAILED);
        try {
            Files.writeString(failureFile(failed), reason);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record why load job " + failed + " failed", e);
        }
        return job;
    }

    /**
     * Removes the package: committed, or given up (a cancelled run); ownership ends with it. It leaves its load id at
     * once, still owned, so nobody claims it half removed.
     */
    public void delete() {
        Path removing = aside(directory, REMOVING);
        try {
            Files.move(directory, removing, StandardCopyOption.ATOMIC_MOVE);
            removeTree(removing);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove load package " + directory, e);
        } finally {
            close();
        }
    }

    /** Ends a committed package: removed, or moved under {@code <data>/loaded} when committed packages are kept. */
    public void committed() {
        if (loaded.isEmpty()) {
            delete();
            return;
        }
        Path target = loaded.get().resolve(directory.getParent().getFileName()).resolve(directory.getFileName());
        try {
            Files.createDirectories(target.getParent());
            Files.move(directory, target, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(target.resolve(LOCK));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move committed load package " + directory + " to " + target, e);
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        lock.close();
    }

    private PackageManifest sealedManifest() {
        return manifest.orElseThrow(() -> new IllegalStateException("load package " + directory + " is not sealed"));
    }

    /** {@code directory}'s hidden name while it is made or removed. */
    private static Path aside(Path directory, String suffix) {
        return directory.resolveSibling(HIDDEN + directory.getFileName() + suffix);
    }

    /** Removes a directory and all in it, whatever someone else removing it at the same time has removed already. */
    private static void removeTree(Path directory) throws IOException {
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path visited, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(visited);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void removeQuietly(Path directory) {
        try {
            removeTree(directory);
        } catch (IOException e) {
            // what is left is a hidden leftover, removed by the next run that claims the pipeline's packages
        }
    }

    private static Path failureFile(Path jobFile) {
        return jobFile.resolveSibling(jobFile.getFileName() + FAILURE_SUFFIX);
    }
}
