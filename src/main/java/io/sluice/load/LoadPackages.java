package io.sluice.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.pipeline.PipelineState;
import io.sluice.schema.Column;
import io.sluice.schema.Schema;
import io.sluice.schema.TableFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Load packages on disk, one directory per pipeline and load id under {@code <data>/packages}. Normalize writes a
 * package's staged files; {@link #seal} then writes its manifest, last and atomically, so a package either is
 * whole and loadable without its source, or was cut short by a crash and is thrown away (its extract is redone).
 * A sealed package stays until it is committed: a run that died or failed after sealing is resumed from it.
 */
public final class LoadPackages {
    private static final String MANIFEST = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path root;

    public LoadPackages(Path dataDirectory) {
        this.root = dataDirectory.resolve("packages");
    }

    record Manifest(String pipeline, String dataset, String loadId, List<ManifestFile> files, Optional<Schema> newSchema,
                    List<String> replacedTables, List<LoadPackage.MergedTable> mergedTables, List<String> droppedTables,
                    Optional<PipelineState> newState) {
        Manifest {
            // A package sealed by an earlier version has no such list.
            droppedTables = droppedTables == null ? List.of() : droppedTables;
        }
    }

    record ManifestFile(String table, List<Column> columns, String file, long rows) {
    }

    /** A new package, owned by the caller until closed, for normalize to write staged files into. */
    public OwnedPackage create(String pipeline, String loadId) {
        Path directory = directory(pipeline, loadId);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create load package directory " + directory, e);
        }
        return OwnedPackage.claim(directory).orElseThrow(() -> new IllegalStateException("load package " + directory
                + " is already in use"));
    }

    /**
     * The pipeline's sealed packages that no live run owns, oldest first, now owned by the caller. A directory
     * without a manifest that nobody owns is what a crash during normalize left: nothing of it was loaded, so it is
     * removed. Ownership is an OS file lock, so a process that dies gives its packages up.
     */
    public List<OwnedPackage> claimPending(String pipeline) {
        Path directory = root.resolve(pipeline);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<OwnedPackage> claimed = new ArrayList<>();
        try (Stream<Path> packages = Files.list(directory)) {
            for (Path loadDirectory : packages.sorted().toList()) {
                Optional<OwnedPackage> owned = OwnedPackage.claim(loadDirectory);
                if (owned.isEmpty()) {
                    continue;
                }
                if (owned.get().sealed().isPresent()) {
                    claimed.add(owned.get());
                } else {
                    owned.get().delete();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list load packages in " + directory, e);
        }
        return claimed;
    }

    /** A package this process owns: it may seal, load and delete it. Closing gives it up (it stays on disk). */
    public static final class OwnedPackage implements AutoCloseable {
        private static final String LOCK = ".owner";
        private final Path directory;
        private final FileChannel channel;
        private final FileLock lock;

        private OwnedPackage(Path directory, FileChannel channel, FileLock lock) {
            this.directory = directory;
            this.channel = channel;
            this.lock = lock;
        }

        static Optional<OwnedPackage> claim(Path directory) {
            try {
                FileChannel channel = FileChannel.open(directory.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    channel.close();
                    return Optional.empty();
                }
                return Optional.of(new OwnedPackage(directory, channel, lock));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot claim load package " + directory, e);
            }
        }

        public Path directory() {
            return directory;
        }

        /** Makes the package whole: its manifest, written to a temporary file and moved into place. */
        public void seal(LoadPackage loadPackage) {
            Manifest manifest = new Manifest(loadPackage.pipeline(), loadPackage.dataset(), loadPackage.loadId(),
                    loadPackage.files().stream()
                            .map(file -> new ManifestFile(file.table(), file.columns(), directory.relativize(file.file()).toString(),
                                    file.rows()))
                            .toList(),
                    loadPackage.newSchema(),
                    loadPackage.replacedTables(),
                    loadPackage.mergedTables(),
                    loadPackage.droppedTables(),
                    loadPackage.newState());
            Path temporary = directory.resolve(MANIFEST + ".tmp");
            try {
                Files.write(temporary, JSON.writeValueAsBytes(manifest));
                try {
                    Files.move(temporary, directory.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, directory.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot seal load package " + directory, e);
            }
        }

        /** The package as sealed, or empty when it was never sealed. */
        public Optional<LoadPackage> sealed() {
            Path manifest = directory.resolve(MANIFEST);
            return Files.exists(manifest) ? Optional.of(read(directory, manifest)) : Optional.empty();
        }

        /** Removes the package: committed, or given up (a cancelled run); ownership ends with it. */
        public void delete() {
            close();
            deleteRecursively(directory);
        }

        @Override
        public void close() {
            try {
                if (lock.isValid()) {
                    lock.release();
                }
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release load package " + directory, e);
            }
        }
    }

    private Path directory(String pipeline, String loadId) {
        return root.resolve(pipeline).resolve(loadId);
    }

    private static LoadPackage read(Path directory, Path manifestFile) {
        try {
            Manifest manifest = JSON.readValue(manifestFile.toFile(), Manifest.class);
            return new LoadPackage(manifest.pipeline(), manifest.dataset(), manifest.loadId(),
                    manifest.files().stream()
                            .map(file -> new TableFile(file.table(), file.columns(), directory.resolve(file.file()), file.rows()))
                            .toList(),
                    manifest.newSchema(),
                    manifest.replacedTables(),
                    manifest.mergedTables(),
                    manifest.droppedTables(),
                    manifest.newState());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("load package manifest " + manifestFile + " is unreadable: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifestFile, e);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove load package " + directory, e);
        }
    }
}
