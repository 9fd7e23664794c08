package io.sluice.source;

import io.sluice.pipeline.FilesystemSourceSpec.FileResource;
import io.sluice.pipeline.FilesystemSourceSpec.Format;
import io.sluice.schema.ColumnHint;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opens a file of a store as its resource declares it: decompressed when it is gzipped, and handed to the reader of
 * its format (the declared one, or the one its name says, or for a {@code .json} file the one its first character
 * says: an array or lines).
 */
final class FileFormats {
    private static final int BUFFER = 1 << 16;

    private final FileStore store;

    FileFormats(FileStore store) {
        this.store = store;
    }

    /**
     * Reads the items of {@code file} into {@code sink}.
     *
     * @return false when the sink wanted no more items
     */
    boolean read(FileResource resource, FileEntry file, ItemSink sink) {
        String name = name(file);
        boolean gzip = gzip(resource, file);
        Optional<Format> format = resource.format().or(() -> formatOf(file, gzip));
        Optional<Path> local = store.localPath(file);
        if (format.equals(Optional.of(Format.PARQUET)) && !gzip && local.isPresent()) {
            boolean more = new ParquetReader().read(local.get(), name, sink);
            sink.bytesRead(file.size());
            return more;
        }
        if (format.equals(Optional.of(Format.CSV)) && !gzip && local.isPresent() && sink.csvCopies().isPresent()
                && CsvScan.copies(resource.csv()) && copied(resource, local.get(), name, sink)) {
            sink.bytesRead(file.size());
            return true;
        }
        try (InputStream input = open(new CountingInputStream(store.open(file), sink), gzip)) {
            FileReader reader = switch (format.isPresent() ? format.get() : jsonShape(input)) {
                case JSONL -> new JsonLinesReader();
                case JSON_ARRAY -> new JsonArrayReader();
                case CSV -> new CsvReader(resource.csv());
                case PARQUET -> new ParquetReader();
            };
            return reader.read(input, name, sink);
        } catch (IOException e) {
            throw failure(name, e);
        }
    }

    /** Whether the sink took a copy of the CSV file whole; when not, the file is read as items. */
    private static boolean copied(FileResource resource, Path file, String name, ItemSink sink) {
        try {
            return CsvScan.copy(file, name, resource.csv(), resource.hints().detections(), sink.csvCopies().get());
        } catch (IOException e) {
            throw failure(name, e);
        }
    }

    /** The columns of a Parquet resource as {@code first} of its files types them; none for another format. */
    List<ColumnHint> parquetColumns(FileResource resource, FileEntry first) {
        boolean gzip = gzip(resource, first);
        if (!resource.format().or(() -> formatOf(first, gzip)).equals(Optional.of(Format.PARQUET))) {
            return List.of();
        }
        String name = name(first);
        Optional<Path> local = store.localPath(first);
        if (local.isPresent() && !gzip) {
            return ParquetReader.columns(local.get(), name);
        }
        try (InputStream input = open(store.open(first), gzip)) {
            return ParquetReader.columns(input, name);
        } catch (IOException e) {
            throw failure(name, e);
        }
    }

    /** A gzip stream that is broken or cut short will be so again: not worth a retry. */
    private static SourceException failure(String name, IOException cause) {
        if (cause instanceof ZipException || cause instanceof EOFException) {
            return new SourceException(name + ": not a valid gzip stream: " + cause.getMessage(), false, cause);
        }
        return SourceException.reading(name, cause);
    }

    private String name(FileEntry file) {
        return store.location() + "/" + file.path();
    }

    /** The bytes of a file as stored, decompressed when they are gzipped. */
    private static InputStream open(InputStream raw, boolean gzip) throws IOException {
        try {
            return new BufferedInputStream(gzip ? new GZIPInputStream(raw, BUFFER) : raw, BUFFER);
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    private static boolean gzip(FileResource resource, FileEntry file) {
        return resource.gzip().orElseGet(() -> file.path().toLowerCase(Locale.ROOT).endsWith(".gz"));
    }

    /** The format a file's name says (after a .gz when it is gzipped); empty for .json, whose content says. */
    private static Optional<Format> formatOf(FileEntry file, boolean gzip) {
        String name = file.path().toLowerCase(Locale.ROOT);
        if (gzip && name.endsWith(".gz")) {
            name = name.substring(0, name.length() - ".gz".length());
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return Optional.of(Format.JSONL);
        }
        if (name.endsWith(".csv")) {
            return Optional.of(Format.CSV);
        }
        if (name.endsWith(".parquet")) {
            return Optional.of(Format.PARQUET);
        }
        if (name.endsWith(".json")) {
            return Optional.empty();
        }
        throw new SourceException("cannot tell the format of " + file.path() + ": set the resource's format to JSONL,"
                + " JSON_ARRAY, CSV or PARQUET");
    }

    /** A JSON array when the first character that is not blank opens one, else JSON lines. */
    private static Format jsonShape(InputStream input) throws IOException {
        input.mark(BUFFER);
        int next;
        do {
            next = input.read();
        } while (next == ' ' || next == '\t' || next == '\r' || next == '\n' || next == 0xEF || next == 0xBB || next == 0xBF);
        input.reset();
        return next == '[' ? Format.JSON_ARRAY : Format.JSONL;
    }
}
