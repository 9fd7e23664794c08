package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import io.sluice.schema.TableHints;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Files under a directory, each resource a glob of JSONL, JSON array, CSV or Parquet files, any of them gzipped. */
public record FilesystemSourceSpec(Path basePath, List<FileResource> resources) implements SourceSpec {
    public FilesystemSourceSpec {
        requireNonNull(basePath, "basePath is null");
        resources = List.copyOf(resources);
    }

    public enum Format {
        JSONL,
        /** One top-level array of objects. */
        JSON_ARRAY,
        CSV,
        PARQUET
    }

    /**
     * How CSV files are spelled.
     *
     * @param escape the character that escapes the next one inside a field, if any
     */
    public record CsvOptions(char delimiter, boolean header, char quote, Optional<Character> escape, Charset encoding) {
        public static final CsvOptions DEFAULT = new CsvOptions(',', true, '"', Optional.empty(), StandardCharsets.UTF_8);

        public CsvOptions {
            requireNonNull(escape, "escape is null");
            requireNonNull(encoding, "encoding is null");
        }
    }

    /**
     * The columns that say which file a row came from.
     *
     * @param name the column holding the file's path relative to the base path, if wanted
     * @param modified the column holding the file's modification time, if wanted
     */
    public record FileColumns(Optional<String> name, Optional<String> modified) {
        public static final FileColumns NONE = new FileColumns(Optional.empty(), Optional.empty());

        public FileColumns {
            requireNonNull(name, "name is null");
            requireNonNull(modified, "modified is null");
        }
    }

    /**
     * @param format the file format, or empty to decide per file by its extension
     * @param gzip whether the files are gzip-compressed, or empty to decide per file by a .gz extension
     * @param changedFilesOnly read only files that are new or changed since the last committed run
     */
    public record FileResource(String name, String tableName, String glob, Optional<Format> format, CsvOptions csv,
                               Optional<Boolean> gzip, FileColumns fileColumns, boolean changedFilesOnly, TableHints hints,
                               Optional<IncrementalSpec> incremental)
            implements ResourceSpec {
        public FileResource {
            requireNonNull(name, "name is null");
            requireNonNull(tableName, "tableName is null");
            requireNonNull(glob, "glob is null");
            requireNonNull(format, "format is null");
            requireNonNull(csv, "csv is null");
            requireNonNull(gzip, "gzip is null");
            requireNonNull(fileColumns, "fileColumns is null");
            requireNonNull(hints, "hints is null");
            requireNonNull(incremental, "incremental is null");
        }

        /** This resource with other hints: the source declares the types of Parquet and file columns. */
        public FileResource withHints(TableHints newHints) {
            return new FileResource(name, tableName, glob, format, csv, gzip, fileColumns, changedFilesOnly, newHints, incremental);
        }
    }
}
