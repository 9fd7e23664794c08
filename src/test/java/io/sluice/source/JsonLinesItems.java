package io.sluice.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** Reads a JSONL file the way the filesystem source does, for tests of the stages after extract. */
public final class JsonLinesItems {
    private JsonLinesItems() {
    }

    /** Hands every item of {@code file}, and every line that is not one, on; each named by file and line. */
    public static void read(Path file, BiConsumer<Map<String, Object>, Supplier<String>> items,
                            BiConsumer<Supplier<String>, String> rejected) throws IOException {
        try (InputStream input = Files.newInputStream(file)) {
            new JsonLinesReader().read(input, file.getFileName().toString(), new ItemSink() {
                @Override
                public boolean item(Map<String, Object> item, Supplier<String> origin) {
                    items.accept(item, origin);
                    return true;
                }

                @Override
                public void rejected(Supplier<String> origin, String reason) {
                    rejected.accept(origin, reason);
                }

                @Override
                public void bytesRead(long bytes) {
                }
            });
        }
    }
}
