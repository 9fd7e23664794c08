package io.sluice.load;

import static java.util.Objects.requireNonNull;

import io.sluice.schema.Column;
import io.sluice.schema.CsvLayout;
import io.sluice.schema.TableFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Load packages on disk, one directory per pipeline and load id under {@code <data>/packages}: where a run creates its
 * package and claims those earlier runs left. Normalize writes a package's staged files; {@link OwnedPackage#seal} then
 * moves them into {@code new_jobs/} and writes the manifest, last and atomically, so a package either is whole and
 * loadable without its source, or was cut short by a crash and is thrown away (its extract is redone). Each staged
 * file is one load job, and its folder says how far it got: {@code new_jobs/ → started_jobs/ → completed_jobs/ |
 * failed_jobs/}. A sealed package stays until it is committed: a run that died or failed after sealing is resumed from
 * it, and its completed jobs are not redone. A committed package is removed, or kept under {@code <data>/loaded} when
 * asked to.
 */
public final class LoadPackages {
    /** Looks through a job's folders before its file counts as lost: its owner may be moving it as others look. */
    private static final int LOOKS_FOR_A_MOVING_JOB = 100;

    private final Path root;
    private final Optional<Path> loaded;
    private final PendingLoadPackages pending;

    /** Packages are removed once committed. */
    public LoadPackages(Path dataDirectory) {
        this(dataDirectory, false);
    }

    /** @param keepCommitted keep committed packages under {@code <data>/loaded}, for inspection */
    public LoadPackages(Path dataDirectory, boolean keepCommitted) {
        this.root = dataDirectory.resolve("packages");
        this.loaded = keepCommitted ? Optional.of(dataDirectory.resolve("loaded")) : Optional.empty();
        this.pending = new PendingLoadPackages(root, loaded);
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

        String folder() {
            return folder;
        }
    }

    /**
     * One job of a sealed package: the staged file {@code name} with {@code rows} rows of {@code table} in
     * {@code columns} (read as {@code layout} says when it is a copy of a source's file), its longest line
     * {@code longestLine} bytes long (0 when not known), {@code index} its place in the
     * package. It names its file, and finds it in the folder of its
     * state whenever asked, so a job value never goes stale as the job moves.
     */
    public record LoadJob(Path packageDirectory, int index, String table, List<Column> columns, String name, long rows,
                          long longestLine, Optional<CsvLayout> layout) {
        public LoadJob {
            requireNonNull(packageDirectory, "packageDirectory is null");
            requireNonNull(table, "table is null");
            columns = List.copyOf(columns);
            requireNonNull(name, "name is null");
            requireNonNull(layout, "layout is null");
        }

        /**
         * How far the job got: the folder its file is in now. A job moves between folders atomically, but back too (a
         * failed commit takes its jobs back to new), so looking in one folder after another may miss a file that moved
         * behind the look; a look that finds it nowhere saw it move, and is taken again before the file counts as lost.
         */
        public JobState state() {
            for (int look = 0; look < LOOKS_FOR_A_MOVING_JOB; look++) {
                for (JobState state : JobState.values()) {
                    if (Files.exists(path(state))) {
                        return state;
                    }
                }
            }
            throw new IllegalStateException("load package " + packageDirectory + " lost its staged file " + name);
        }

        /** The job's file where it is now. */
        public TableFile file() {
            return new TableFile(table, columns, path(state()), rows, longestLine, layout);
        }

        Path path(JobState state) {
            return packageDirectory.resolve(state.folder).resolve(name);
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

    /**
     * A new package, owned by the caller until closed, for normalize to write staged files into.
     *
     * @throws IllegalStateException when the pipeline has a package of that load id
     */
    public OwnedPackage create(String pipeline, String loadId) {
        return OwnedPackage.make(root.resolve(pipeline).resolve(loadId), loaded);
    }

    /**
     * The pipeline's sealed packages that no live run owns, oldest first, now owned by the caller, each manifest read
     * once. A directory without a manifest that nobody owns is what a crash during normalize left: nothing of it was
     * loaded, so it is removed, as is what a process that died while making or removing a package left under a hidden
     * name. Ownership is an OS file lock, so a process that dies gives its packages up.
     *
     * @throws UnsupportedPackageException when a newer build sealed one of them; none is claimed then
     */
    public List<OwnedPackage> claimPending(String pipeline) {
        List<OwnedPackage> claimed = new ArrayList<>();
        try {
            hiddenDirectories(root.resolve(pipeline)).forEach(OwnedPackage::removeLeftover);
            for (Path loadDirectory : directories(root.resolve(pipeline))) {
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
        } catch (RuntimeException e) {
            claimed.forEach(OwnedPackage::close);
            throw e;
        }
        return claimed;
    }

    /**
     * The pipeline's sealed package {@code loadId}, now owned by the caller, or empty while another run owns it.
     *
     * @throws PackageNotFoundException when the pipeline has no sealed package of that load id
     * @throws UnsupportedPackageException when a newer build sealed it; it is not claimed then
     */
    public Optional<OwnedPackage> claim(String pipeline, String loadId) {
        Path directory = root.resolve(pipeline).resolve(loadId);
        Optional<OwnedPackage> owned = PackageManifest.exists(directory) ? OwnedPackage.claim(directory, loaded) : Optional.empty();
        // not claimed: owned by a live run, or committed (or removed) by one before or while this looked
        if (owned.isEmpty() && !PackageManifest.exists(directory)) {
            throw new PackageNotFoundException("pipeline " + pipeline + " has no pending load package " + loadId);
        }
        return owned;
    }

    /** The pipeline's sealed packages not committed yet, oldest first, whether or not a live run owns them. */
    public List<PendingPackage> pending(String pipeline) {
        return pending.list(pipeline);
    }

    /** @throws PackageNotFoundException when the pipeline has no sealed package of that load id */
    public PendingPackage pending(String pipeline, String loadId) {
        return pending.find(pipeline, loadId);
    }

    /**
     * Throws a pending package away uncommitted, once no live run owns it.
     *
     * @param beforeRemoving called with the package as it is, while nobody else can claim it, before anything of it is
     *     removed (to record the discard: when it fails, the package stays)
     * @return what {@code beforeRemoving} returned
     * @throws PackageNotFoundException when the pipeline has no sealed package of that load id
     * @throws PackageInUseException when a live run owns it
     */
    public <T> T discard(String pipeline, String loadId, Function<PendingPackage, T> beforeRemoving) {
        return pending.discard(pipeline, loadId, beforeRemoving);
    }

    /** The package directories under {@code directory}, oldest first (load ids start with their time). */
    static List<Path> directories(Path directory) {
        return list(directory).stream().filter(path -> !OwnedPackage.hidden(path)).toList();
    }

    /** What packages being made or removed under {@code directory} use: names that only their owners look at. */
    private static List<Path> hiddenDirectories(Path directory) {
        return list(directory).stream().filter(OwnedPackage::hidden).toList();
    }

    private static List<Path> list(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> packages = Files.list(directory)) {
            return packages.sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list load packages in " + directory, e);
        }
    }
}
