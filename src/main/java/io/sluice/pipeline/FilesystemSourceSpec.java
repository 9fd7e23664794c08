package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import io.sluice.schema.TableHints;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Files under a directory, each resource a glob of JSONL or CSV files. */
public record FilesystemSourceSpec(Path basePath, List<FileResource> resources) implements SourceSpec {
    public FilesystemSourceSpec {
        requireNonNull(basePath, "basePath is null");
        resources = List.copyOf(resources);
    }

    public enum Format {
        JSONL,
        CSV
    }

    /**
     * @param format the file format, or empty to decide per file by its extension
     */
    public record FileResource(String name, String tableName, String glob, Optional<Format> format, char csvDelimiter,
                               boolean csvHeader, TableHints hints, Optional<IncrementalSpec> incremental)
            implements ResourceSpec {
        public FileResource {
            requireNonNull(name, "name is null");
            requireNonNull(tableName, "tableName is null");
            requireNonNull(glob, "glob is null");
            requireNonNull(format, "format is null");
            requireNonNull(hints, "hints is null");
            requireNonNull(incremental, "incremental is null");
        }
    }
}
