package io.sluice.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The sealed packages not committed yet, as an operator sees them: listed, and thrown away on request. */
final class PendingLoadPackages {
    private final Path root;
    private final Optional<Path> loaded;

    PendingLoadPackages(Path root, Optional<Path> loaded) {
        this.root = root;
        this.loaded = loaded;
    }

    List<LoadPackages.PendingPackage> list(String pipeline) {
        List<LoadPackages.PendingPackage> pending = new ArrayList<>();
        for (Path loadDirectory : LoadPackages.directories(root.resolve(pipeline))) {
            describe(loadDirectory).ifPresent(pending::add);
        }
        return pending;
    }

    LoadPackages.PendingPackage find(String pipeline, String loadId) {
        return describe(root.resolve(pipeline).resolve(loadId)).orElseThrow(() -> notFound(pipeline, loadId));
    }

    /** See {@link LoadPackages#discard}: the manifest goes first, then the rest of the package. */
    <T> T discard(String pipeline, String loadId, Function<LoadPackages.PendingPackage, T> beforeRemoving) {
        Path directory = root.resolve(pipeline).resolve(loadId);
        if (!PackageManifest.exists(directory)) {
            throw notFound(pipeline, loadId);
        }
        try (OwnedPackage owned = OwnedPackage.claim(directory, loaded)
                .orElseThrow(() -> new PackageInUseException(pipeline, loadId))) {
            if (owned.sealed().isEmpty()) {
                throw notFound(pipeline, loadId);
            }
            T recorded = beforeRemoving.apply(owned.describe(false));
            PackageManifest.remove(directory);
            owned.delete();
            return recorded;
        }
    }

    /** A package's pending view from its manifest: rows per table, and its jobs counted by the folder each is in now. */
    static LoadPackages.PendingPackage describe(Path directory, PackageManifest manifest, boolean ownedByLiveRun) {
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<LoadPackages.JobState, Integer> jobs = new EnumMap<>(LoadPackages.JobState.class);
        for (LoadPackages.LoadJob job : manifest.loadPackage(directory).jobs()) {
            rows.merge(job.table(), job.rows(), Long::sum);
            jobs.merge(job.state(), 1, Integer::sum);
        }
        return new LoadPackages.PendingPackage(manifest.pipeline(), manifest.loadId(), directory, manifest.sealedByRun(),
                manifest.sealTime(), rows.entrySet().stream().map(entry -> new LoadPackages.PackageTable(entry.getKey(), entry.getValue()))
                .toList(), jobs, OwnedPackage.lastFailure(directory), ownedByLiveRun);
    }

    private static PackageNotFoundException notFound(String pipeline, String loadId) {
        return new PackageNotFoundException("pipeline " + pipeline + " has no pending load package " + loadId);
    }

    /** A sealed package's view, whoever owns it; empty when the directory holds no sealed package. */
    private Optional<LoadPackages.PendingPackage> describe(Path directory) {
        if (!PackageManifest.exists(directory)) {
            return Optional.empty();
        }
        Optional<OwnedPackage> claimed = OwnedPackage.claim(directory, loaded);
        if (claimed.isEmpty()) {
            return describeOwned(directory);
        }
        try (OwnedPackage owned = claimed.get()) {
            return owned.sealed().map(sealed -> owned.describe(false));
        }
    }

    /** A package a live run owns, as read now; empty when that run removed it (it committed it) while it was read. */
    private static Optional<LoadPackages.PendingPackage> describeOwned(Path directory) {
        try {
            return Optional.of(describe(directory, PackageManifest.read(directory), true));
        } catch (RuntimeException e) {
            if (Files.exists(directory)) {
                throw e;
            }
            return Optional.empty();
        }
    }
}
