package io.sluice.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the files of a filesystem source are kept: a local directory today, a bucket of an object store (S3, GCS,
 * Azure) later. The readers see only the streams it opens and the names it lists, so a new store needs no change to
 * them.
 */
public interface FileStore {
    /**
     * The files whose path relative to the base matches {@code glob} ({@code events/*.jsonl}, {@code **}{@code /*.csv}),
     * sorted by path.
     */
    List<FileEntry> list(String glob) throws IOException;

    /** The bytes of {@code file}, as stored (still compressed when it is). */
    InputStream open(FileEntry file) throws IOException;

    /**
     * The file on the local disk, when it is there: a reader that needs to seek (Parquet keeps its index at the end)
     * reads it in place rather than from a copy of the stream. Empty for a store of remote objects.
     */
    Optional<Path> localPath(FileEntry file);

    /** Where the files are, for messages: {@code /data/events}, {@code s3://bucket/prefix}. */
    String location();
}
