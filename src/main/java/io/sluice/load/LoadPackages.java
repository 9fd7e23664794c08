package io.sluice.load;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sluice.pipeline.PipelineState;
import io.sluice.schema.Column;
import io.sluice.schema.Schema;
import io.sluice.schema.TableFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Load packages on disk, one directory per pipeline and load id under {@code <data>/packages}. Normalize writes a
 * package's staged files; {@link OwnedPackage#seal} then moves them into {@code new_jobs/} and writes the manifest,
 * last and atomically, so a package either is whole and loadable without its source, or was cut short by a crash
 * and is thrown away (its extract is redone). Each staged file is one load job, and its folder says how far it got:
 * {@code new_jobs/ → started_jobs/ → completed_jobs/ | failed_jobs/}. A sealed package stays until it is committed:
 * a run that died or failed after sealing is resumed from it, and its completed jobs are not redone. A committed
 * package is removed, or kept under {@code <data>/loaded} when asked to.
 */
public final class LoadPackages {
    private static final String MANIFEST = "manifest.json";
    private static final String LAST_FAILURE = "last_failure.txt";
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path root;
    private final Optional<Path> loaded;

    /** Packages are removed once committed. */
    public LoadPackages(Path dataDirectory) {
        this(dataDirectory, false);
    }

    /** @param keepCommitted keep committed packages under {@code <data>/loaded}, for inspection */
    public LoadPackages(Path dataDirectory, boolean keepCommitted) {
        this.root = dataDirectory.resolve("packages");
        this.loaded = keepCommitted ? Optional.of(dataDirectory.resolve("loaded")) : Optional.empty();
    }

    /** How far a load job got; each state is a folder of the package. */
    public enum JobState {
        NEW("new_jobs"),
        STARTED("started_jobs"),
        COMPLETED("completed_jobs"),
        FAILED("failed_jobs");

        private final String folder;

        JobState(String folder) {
            this.folder = folder;
        }
    }

    /** One staged file of a package and how far its load got; {@code index} is its place in the package. */
    public record LoadJob(int index, TableFile file, JobState state) {
        public LoadJob {
            requireNonNull(file, "file is null");
            requireNonNull(state, "state is null");
        }
    }

    /** {@code sealedByRun} and {@code sealTime} say which run sealed the package, and when. */
    record Manifest(String pipeline, String dataset, String loadId, List<ManifestFile> files, Optional<Schema> newSchema,
                    List<LoadPackage.ReplacedTable> replacedTables, List<LoadPackage.MergedTable> mergedTables,
                    List<String> droppedTables, Optional<PipelineState> newState, String sealedByRun, Optional<Instant> sealTime) {
        Manifest {
            // A package sealed by an earlier version has no such list, nor its sealing run and time.
            droppedTables = droppedTables == null ? List.of() : droppedTables;
            sealedByRun = sealedByRun == null ? "" : sealedByRun;
            sealTime = sealTime == null ? Optional.empty() : sealTime;
        }
    }

    /**
     * A sealed package not committed yet, as an operator sees it: which run sealed it ("" when a version that did not
     * record it did) and when, its rows per table, how many of its jobs are in each state, why its last load failed
     * (if one did), and whether a live run owns it now.
     */
    public record PendingPackage(String pipeline, String loadId, Path directory, String sealedByRun, Optional<Instant> sealTime,
                                 List<PackageTable> tables, Map<JobState, Integer> jobs, Optional<String> lastFailure,
                                 boolean ownedByLiveRun) {
        public PendingPackage {
            requireNonNull(pipeline, "pipeline is null");
            requireNonNull(loadId, "loadId is null");
            requireNonNull(directory, "directory is null");
            requireNonNull(sealedByRun, "sealedByRun is null");
            requireNonNull(sealTime, "sealTime is null");
            tables = List.copyOf(tables);
            jobs = Map.copyOf(jobs);
            requireNonNull(lastFailure, "lastFailure is null");
        }

        public long rows() {
            return tables.stream().mapToLong(PackageTable::rows).sum();
        }

        public int jobs(JobState state) {
            return jobs.getOrDefault(state, 0);
        }
    }

    /** The rows a package holds for one table. */
    public record PackageTable(String table, long rows) {
        public PackageTable {
            requireNonNull(table, "table is null");
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
        return OwnedPackage.claim(directory, loaded).orElseThrow(() -> new IllegalStateException("load package " + directory
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
                Optional<OwnedPackage> owned = OwnedPackage.claim(loadDirectory, loaded);
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

    /** The pipeline's sealed packages not committed yet, oldest first, whether or not a live run owns them. */
    public List<PendingPackage> pending(String pipeline) {
        Path directory = root.resolve(pipeline);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<PendingPackage> pending = new ArrayList<>();
        try (Stream<Path> packages = Files.list(directory)) {
            for (Path loadDirectory : packages.sorted().toList()) {
                describe(pipeline, loadDirectory).ifPresent(pending::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list load packages in " + directory, e);
        }
        return pending;
    }

    /** @throws PackageNotFoundException when the pipeline has no sealed package of that load id */
    public PendingPackage pending(String pipeline, String loadId) {
        return describe(pipeline, directory(pipeline, loadId)).orElseThrow(() -> notFound(pipeline, loadId));
    }

    /**
     * Throws a pending package away uncommitted, once no live run owns it: its manifest goes first, so that a removal
     * cut short leaves a package nobody can load (and the next run removes) rather than one with files missing.
     *
     * @param beforeRemoving called with the package as it is, while nobody else can claim it, before anything of it is
     *     removed (to record the discard: when it fails, the package stays)
     * @return what {@code beforeRemoving} returned
     * @throws PackageNotFoundException when the pipeline has no sealed package of that load id
     * @throws PackageInUseException when a live run owns it
     */
    public <T> T discard(String pipeline, String loadId, Function<PendingPackage, T> beforeRemoving) {
        Path directory = directory(pipeline, loadId);
        if (!Files.exists(directory.resolve(MANIFEST))) {
            throw notFound(pipeline, loadId);
        }
        try (OwnedPackage owned = OwnedPackage.claim(directory, loaded)
                .orElseThrow(() -> new PackageInUseException(pipeline, loadId))) {
            T recorded = beforeRemoving.apply(describe(pipeline, directory, false).orElseThrow(() -> notFound(pipeline, loadId)));
            try {
                Files.delete(directory.resolve(MANIFEST));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot discard load package " + directory, e);
            }
            owned.delete();
            return recorded;
        }
    }

    private static PackageNotFoundException notFound(String pipeline, String loadId) {
        return new PackageNotFoundException("pipeline " + pipeline + " has no pending load package " + loadId);
    }

    /** A sealed package's view, whoever owns it; empty when the directory holds no sealed package. */
    private Optional<PendingPackage> describe(String pipeline, Path directory) {
        if (!Files.exists(directory.resolve(MANIFEST))) {
            return Optional.empty();
        }
        Optional<OwnedPackage> claimed = OwnedPackage.claim(directory, loaded);
        claimed.ifPresent(OwnedPackage::close);
        return describe(pipeline, directory, claimed.isEmpty());
    }

    private static Optional<PendingPackage> describe(String pipeline, Path directory, boolean ownedByLiveRun) {
        Path manifestFile = directory.resolve(MANIFEST);
        if (!Files.exists(manifestFile)) {
            return Optional.empty();
        }
        Manifest manifest = readManifest(manifestFile);
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<JobState, Integer> jobs = new EnumMap<>(JobState.class);
        for (ManifestFile file : manifest.files()) {
            rows.merge(file.table(), file.rows(), Long::sum);
            jobs.merge(stateOf(directory, locate(directory, file.file())), 1, Integer::sum);
        }
        Optional<String> lastFailure;
        try {
            Path failure = directory.resolve(LAST_FAILURE);
            lastFailure = Files.exists(failure) ? Optional.of(Files.readString(failure)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read why load package " + directory + " failed", e);
        }
        return Optional.of(new PendingPackage(pipeline, manifest.loadId(), directory, manifest.sealedByRun(), manifest.sealTime(),
                rows.entrySet().stream().map(entry -> new PackageTable(entry.getKey(), entry.getValue())).toList(), jobs,
                lastFailure, ownedByLiveRun));
    }

    /** A package this process owns: it may seal, load and delete it. Closing gives it up (it stays on disk). */
    public static final class OwnedPackage implements AutoCloseable {
        private static final String LOCK = ".owner";
        private static final String FAILURE_SUFFIX = ".exception";
        private final Path directory;
        private final OwnerLock lock;
        private final Optional<Path> loaded;

        private OwnedPackage(Path directory, OwnerLock lock, Optional<Path> loaded) {
            this.directory = directory;
            this.lock = lock;
            this.loaded = loaded;
        }

        static Optional<OwnedPackage> claim(Path directory, Optional<Path> loaded) {
            return OwnerLock.tryTake(directory.resolve(LOCK)).map(lock -> new OwnedPackage(directory, lock, loaded));
        }

        public Path directory() {
            return directory;
        }

        /**
         * Makes the package whole: its staged files become new jobs, then its manifest, naming the run that sealed it,
         * is written to a temporary file and moved into place.
         */
        public void seal(LoadPackage loadPackage, String sealedByRun) {
            Path newJobs = directory.resolve(JobState.NEW.folder);
            List<ManifestFile> files = new ArrayList<>();
            try {
                Files.createDirectories(newJobs);
                for (TableFile file : loadPackage.files()) {
                    String name = file.file().getFileName().toString();
                    Files.move(file.file(), newJobs.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                    files.add(new ManifestFile(file.table(), file.columns(), name, file.rows()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot seal load package " + directory, e);
            }
            Manifest manifest = new Manifest(loadPackage.pipeline(), loadPackage.dataset(), loadPackage.loadId(),
                    files,
                    loadPackage.newSchema(),
                    loadPackage.replacedTables(),
                    loadPackage.mergedTables(),
                    loadPackage.droppedTables(),
                    loadPackage.newState(),
                    sealedByRun,
                    Optional.of(Instant.now().truncatedTo(ChronoUnit.MICROS)));
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

        /** The package as sealed, its files where their jobs are now, or empty when it was never sealed. */
        public Optional<LoadPackage> sealed() {
            Path manifest = directory.resolve(MANIFEST);
            return Files.exists(manifest) ? Optional.of(read(directory, manifest)) : Optional.empty();
        }

        /** The run that sealed the package ("" when a version that did not record it did). */
        public String sealedByRun() {
            return readManifest(directory.resolve(MANIFEST)).sealedByRun();
        }

        /** Keeps why the package's last load failed, for whoever looks into it; a later failure replaces it. */
        public void loadFailed(String reason) {
            try {
                Files.writeString(directory.resolve(LAST_FAILURE), reason);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record why load package " + directory + " failed", e);
            }
        }

        /** The jobs of the sealed package, in package order. */
        public List<LoadJob> jobs() {
            List<TableFile> files = sealed().orElseThrow(() -> new IllegalStateException("load package " + directory
                    + " is not sealed")).files();
            List<LoadJob> jobs = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                TableFile file = files.get(i);
                jobs.add(new LoadJob(i, file, stateOf(directory, file.file())));
            }
            return jobs;
        }

        /** Moves a job to {@code state}'s folder, atomically: after a crash it is in one folder or the other. */
        public LoadJob move(LoadJob job, JobState state) {
            Path target = directory.resolve(state.folder).resolve(job.file().file().getFileName());
            try {
                Files.createDirectories(target.getParent());
                Files.move(job.file().file(), target, StandardCopyOption.ATOMIC_MOVE);
                if (job.state() == JobState.FAILED) {
                    Files.deleteIfExists(failureFile(job.file().file()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move load job " + job.file().file() + " to " + state.folder, e);
            }
            TableFile file = job.file();
            return new LoadJob(job.index(), new TableFile(file.table(), file.columns(), target, file.rows()), state);
        }

        /** Marks a job failed, keeping why beside its file for whoever looks into the package. */
        public LoadJob fail(LoadJob job, String reason) {
            LoadJob failed = move(job, JobState.FAILED);
            try {
                Files.writeString(failureFile(failed.file().file()), reason);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record why load job " + failed.file().file() + " failed", e);
            }
            return failed;
        }

        /** Removes the package: committed, or given up (a cancelled run); ownership ends with it. */
        public void delete() {
            close();
            deleteRecursively(directory);
        }

        /** Ends a committed package: removed, or moved under {@code <data>/loaded} when committed packages are kept. */
        public void committed() {
            if (loaded.isEmpty()) {
                delete();
                return;
            }
            close();
            Path target = loaded.get().resolve(directory.getParent().getFileName()).resolve(directory.getFileName());
            try {
                Files.createDirectories(target.getParent());
                Files.deleteIfExists(directory.resolve(LOCK));
                Files.move(directory, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move committed load package " + directory + " to " + target, e);
            }
        }

        @Override
        public void close() {
            lock.close();
        }
    }

    private Path directory(String pipeline, String loadId) {
        return root.resolve(pipeline).resolve(loadId);
    }

    private static Path failureFile(Path jobFile) {
        return jobFile.resolveSibling(jobFile.getFileName() + OwnedPackage.FAILURE_SUFFIX);
    }

    private static JobState stateOf(Path directory, Path jobFile) {
        for (JobState state : JobState.values()) {
            if (jobFile.getParent().equals(directory.resolve(state.folder))) {
                return state;
            }
        }
        throw new IllegalStateException("load job " + jobFile + " is in no job folder");
    }

    /** Where a job's file is now: in the folder of its state. */
    private static Path locate(Path directory, String name) {
        for (JobState state : JobState.values()) {
            Path file = directory.resolve(state.folder).resolve(name);
            if (Files.exists(file)) {
                return file;
            }
        }
        throw new IllegalStateException("load package " + directory + " lost its staged file " + name);
    }

    private static Manifest readManifest(Path manifestFile) {
        try {
            return JSON.readValue(manifestFile.toFile(), Manifest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("load package manifest " + manifestFile + " is unreadable: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifestFile, e);
        }
    }

    private static LoadPackage read(Path directory, Path manifestFile) {
        Manifest manifest = readManifest(manifestFile);
        return new LoadPackage(manifest.pipeline(), manifest.dataset(), manifest.loadId(),
                manifest.files().stream()
                        .map(file -> new TableFile(file.table(), file.columns(), locate(directory, file.file()), file.rows()))
                        .toList(),
                manifest.newSchema(),
                manifest.replacedTables(),
                manifest.mergedTables(),
                manifest.droppedTables(),
                manifest.newState());
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
