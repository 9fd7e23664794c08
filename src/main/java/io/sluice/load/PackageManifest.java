package io.sluice.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sluice.pipeline.PipelineState;
import io.sluice.schema.Column;
import io.sluice.schema.CsvLayout;
import io.sluice.schema.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A sealed package's manifest and its file: what the package holds and who sealed it when, written last and atomically
 * by the seal, read once by whoever claims the package. {@code formatVersion} says which build's layout it has: a
 * manifest without one was written before packages carried it (version 1), and one newer than this build reads is
 * refused by name rather than half understood. {@code sealedByRun} and {@code sealTime} say which run sealed the
 * package, and when.
 */
record PackageManifest(int formatVersion, String pipeline, String dataset, String loadId, List<JobFile> files,
                       Optional<Schema> newSchema, List<LoadPackage.ReplacedTable> replacedTables,
                       List<LoadPackage.MergedTable> mergedTables, List<String> droppedTables, Optional<PipelineState> newState,
                       String sealedByRun, Optional<Instant> sealTime) {
    /**
     * The newest layout this build reads. Version 2 added the version itself; version 3 added jobs that are copies of a
     * source's CSV files ({@link JobFile#layout}), and a package is written as version 3 only when it has one, so a
     * build that reads version 2 still loads every other package. A field an earlier build may ignore (reading unknown
     * fields is allowed), such as {@link JobFile#longestLine}, needs no new version.
     */
    static final int FORMAT_VERSION = 3;
    private static final int WITHOUT_COPIES = 2;
    private static final int FIRST_FORMAT_VERSION = 1;
    private static final String FILE = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    PackageManifest {
        // A package sealed by an earlier version has no version, no dropped tables, nor its sealing run and time.
        formatVersion = formatVersion == 0 ? FIRST_FORMAT_VERSION : formatVersion;
        files = List.copyOf(files);
        droppedTables = droppedTables == null ? List.of() : List.copyOf(droppedTables);
        sealedByRun = sealedByRun == null ? "" : sealedByRun;
        sealTime = sealTime == null ? Optional.empty() : sealTime;
    }

    /**
     * One job of the package: its file's name (the folder it is in says the job's state), table, columns, rows and the
     * length of its longest line, and for a copy of a source's CSV file how to read it. An earlier build ignores the
     * length (and reads the file as it always did); a manifest written before it has 0, not known.
     */
    record JobFile(String table, List<Column> columns, String file, long rows, long longestLine, Optional<CsvLayout> layout) {
        JobFile {
            layout = layout == null ? Optional.empty() : layout;
        }
    }

    /** The layout version a package of these jobs needs. */
    static int formatVersion(List<JobFile> files) {
        return files.stream().anyMatch(file -> file.layout().isPresent()) ? FORMAT_VERSION : WITHOUT_COPIES;
    }

    /** The package this manifest describes, its jobs found in {@code directory}'s job folders whenever they are asked for. */
    LoadPackage loadPackage(Path directory) {
        List<LoadPackages.LoadJob> jobs = new ArrayList<>();
        for (int index = 0; index < files.size(); index++) {
            JobFile file = files.get(index);
            jobs.add(new LoadPackages.LoadJob(directory, index, file.table(), file.columns(), file.file(), file.rows(), file.longestLine(),
                    file.layout()));
        }
        return new LoadPackage(pipeline, dataset, loadId, jobs, new CommitPlan(newSchema, replacedTables, mergedTables, droppedTables,
                newState));
    }

    static boolean exists(Path directory) {
        return Files.exists(directory.resolve(FILE));
    }

    /**
     * @throws UnsupportedPackageException when a newer build wrote the manifest, in a layout this build does not know
     */
    static PackageManifest read(Path directory) {
        Path file = directory.resolve(FILE);
        try {
            JsonNode tree = JSON.readTree(file.toFile());
            int version = tree.path("formatVersion").asInt(FIRST_FORMAT_VERSION);
            if (version < FIRST_FORMAT_VERSION || version > FORMAT_VERSION) {
                throw new UnsupportedPackageException("load package " + tree.path("loadId").asText(directory.getFileName().toString())
                        + " has format version " + version + "; this build reads up to " + FORMAT_VERSION);
            }
            return JSON.treeToValue(tree, PackageManifest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("load package manifest " + file + " is unreadable: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes the manifest to a temporary file and moves it into place, so that a package either has it whole or not at all. */
    void write(Path directory) {
        Path temporary = directory.resolve(FILE + ".tmp");
        try {
            Files.write(temporary, JSON.writeValueAsBytes(this));
            try {
                Files.move(temporary, directory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, directory.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot seal load package " + directory, e);
        }
    }

    /** Removes the manifest first, so that a removal cut short leaves a package nobody can load rather than one with files missing. */
    static void remove(Path directory) {
        try {
            Files.delete(directory.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot discard load package " + directory, e);
        }
    }
}
