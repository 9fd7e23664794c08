package io.sluice.testing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes a DuckDB destination refuse commits: a unique index on {@code raw.items(id)}, which a load of ids already
 * there violates at commit, after its package was sealed. The package then stays pending until the index is dropped.
 */
public final class BlockedCommits {
    private BlockedCommits() {
    }

    public static void block(Path database) {
        DuckDbQueries.execute(database, "CREATE UNIQUE INDEX blocks_commits ON raw.items (id)");
    }

    public static void unblock(Path database) {
        DuckDbQueries.execute(database, "DROP INDEX raw.blocks_commits");
    }

    /** A directory with items.jsonl: {@code count} items with ids 0.., the same ids every time. */
    public static Path items(int count) throws IOException {
        Path directory = Files.createTempDirectory("pending-items");
        try (BufferedWriter out = Files.newBufferedWriter(directory.resolve("items.jsonl"))) {
            for (int i = 0; i < count; i++) {
                out.write("{\"id\":" + i + ",\"name\":\"item " + i + "\"}\n");
            }
        }
        return directory;
    }
}
