package io.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DuckDbFilesTest {
    /** With the driver alone, one of them soon fails: "Unique file handle conflict". */
    @Test
    void manyThreadsOpenAndCloseOneFileAtOnce() throws Exception {
        Path file = Files.createTempDirectory("duckdb-files").resolve("shared.duckdb");
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int thread = 0; thread < 8; thread++) {
                results.add(threads.submit(() -> {
                    int read = 0;
                    for (int i = 0; i < 100; i++) {
                        try (Connection connection = DuckDbFiles.connect(file, DuckDbSettings.DEFAULT); Statement statement = connection.createStatement();
                             ResultSet result = statement.executeQuery("SELECT 1")) {
                            result.next();
                            read += result.getInt(1);
                        }
                    }
                    return read;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(100, result.get());
            }
        }
    }
}
