package io.sluice.testing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes a DuckDB destination refuse commits: {@code raw.items} becomes a view (its table moved aside), which a commit
 * cannot insert into, after its package was sealed. The package then stays pending until the table is put back.
 */
public final class BlockedCommits {
    private BlockedCommits() {
    }

    public static void block(Path database) {
        DuckDbQueries.execute(database, "ALTER TABLE raw.items RENAME TO items_aside",
                "CREATE VIEW raw.items AS SELECT * FROM raw.items_aside");
    }

    public static void unblock(Path database) {
        DuckDbQueries.execute(database, "DROP VIEW raw.items", "ALTER TABLE raw.items_aside RENAME TO items");
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
