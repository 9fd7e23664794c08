package io.sluice.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a JSONL file the way the filesystem source does, for tests of the stages after extract. */
public final class JsonLinesItems {
    private JsonLinesItems() {
    }

    /** Hands every item (and every line that is not one) of {@code file} to {@code sink}, named by file and line. */
    public static void read(Path file, ItemSink sink) throws IOException {
        try (InputStream input = Files.newInputStream(file)) {
            new JsonLinesReader().read(input, file.getFileName().toString(), sink);
        }
    }
}
