package io.sluice.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.testing.FileDataSource;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RunLogStoreTest {
    @Test
    void aRunsLinesComeBackInOrderAPageAtATime() throws Exception {
        JdbcCatalogStore store = new JdbcCatalogStore(new FileDataSource(Files.createTempDirectory("logs").resolve("catalog.duckdb")));
        store.migrate();
        // Numbered in the run's event sequence, so not every number is a log line; another run's lines are not among them.
        List<StoredLogLine> written = LongStream.of(2, 3, 5, 8, 13)
                .mapToObj(sequence -> new StoredLogLine("run-1", sequence, CatalogTime.now(), "INFO", sequence % 2 == 0 ? "" : "io.x",
                        "line " + sequence))
                .toList();
        written.reversed().forEach(store::appendLogLine);
        store.appendLogLine(new StoredLogLine("run-2", 1, CatalogTime.now(), "WARN", "", "another run's"));

        List<StoredLogLine> read = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String token = "";
        do {
            Page<StoredLogLine> page = store.logLines("run-1", 2, token);
            read.addAll(page.items());
            pageSizes.add(page.items().size());
            token = page.nextPageToken();
        } while (!token.isEmpty());

        assertEquals(written, read);
        assertEquals(List.of(2, 2, 1), pageSizes);
        assertEquals(List.of(), store.logLines("no-such-run", 10, "").items());
        assertThrows(InvalidPageTokenException.class, () -> store.logLines("run-1", 2, "bm90IGEgbnVtYmVy"));
    }
}
