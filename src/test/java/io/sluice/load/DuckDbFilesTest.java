package io.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;

/**
 * Opening and closing one file from many threads at once, and a file kept open after use: it closes once idle, at once
 * when its keep-open is zero, and at once when every kept file is closed (a one-shot command ending). Whether the file
 * is still open shows in another opener: one with another configuration (read only) cannot open a file this process has
 * open, as another process cannot.
 */
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
                        try (Connection connection = DuckDbFiles.connect(file, Duration.ZERO, DuckDbSettings.DEFAULT); Statement statement = connection.createStatement();
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

    @Test
    void aFileKeptOpenClosesOnceIdleAndAnotherOpenerThenOpensIt() throws Exception {
        Path file = Files.createTempDirectory("kept").resolve("kept.duckdb");
        write(file, Duration.ofMillis(300), 1);
        assertFalse(opensReadOnly(file), "kept open right after its last connection closed");
        write(file, Duration.ofMillis(300), 2);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!opensReadOnly(file)) {
            assertTrue(System.nanoTime() < deadline, "the idle file closes within its keep-open");
            Thread.onSpinWait();
        }
        assertEquals(2, count(file), "both commits are in the file once it closed");
    }

    @Test
    void withoutKeepOpenTheLastConnectionClosesTheFile() throws Exception {
        Path file = Files.createTempDirectory("kept").resolve("kept.duckdb");
        write(file, Duration.ZERO, 1);
        assertTrue(opensReadOnly(file), "closed with its connection");
    }

    @Test
    void closingEveryKeptFileClosesThemAtOnce() throws Exception {
        Path file = Files.createTempDirectory("kept").resolve("kept.duckdb");
        write(file, Duration.ofMinutes(10), 1);
        assertFalse(opensReadOnly(file), "kept open");
        DuckDbFiles.closeAllKept();
        assertTrue(opensReadOnly(file), "closed as the service stops, whatever its keep-open");
        assertEquals(1, count(file));
    }

    @Test
    void aLoadsMemoryAndThreadsHoldWhileAPlainOpenOfTheKeptFileStillSucceeds() throws Exception {
        Path file = Files.createTempDirectory("kept").resolve("kept.duckdb");
        try (Connection connection = DuckDbFiles.connect(file, Duration.ofMinutes(10), new DuckDbSettings("64MB", 1));
             Connection plain = new DuckDBDriver().connect("jdbc:duckdb:" + file, new Properties());
             Statement statement = plain.createStatement();
             ResultSet result = statement.executeQuery("SELECT current_setting('memory_limit'), current_setting('threads')")) {
            result.next();
            assertEquals(List.of("61.0 MiB", "1"), List.of(result.getString(1), result.getString(2)), "64MB as DuckDB reports it");
        } finally {
            DuckDbFiles.closeAllKept();
        }
        assertThrows(IllegalArgumentException.class, () -> new DuckDbSettings("1GB'; DROP TABLE x; --", 1));
    }

    private static void write(Path file, Duration keepOpen, int row) throws SQLException {
        try (Connection connection = DuckDbFiles.connect(file, keepOpen, DuckDbSettings.DEFAULT); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS rows (id INTEGER)");
            statement.execute("INSERT INTO rows VALUES (" + row + ")");
        }
    }

    private static boolean opensReadOnly(Path file) {
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection connection = new DuckDBDriver().connect("jdbc:duckdb:" + file, readOnly)) {
            return connection != null;
        } catch (SQLException e) {
            return false;
        }
    }

    private static long count(Path file) throws SQLException {
        try (Connection connection = DuckDbFiles.connect(file, Duration.ZERO, DuckDbSettings.DEFAULT); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*) FROM rows")) {
            result.next();
            return result.getLong(1);
        }
    }
}
