package io.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;

/**
 * Destination files attached to the process's one DuckDB database: from many threads at once, one file or several; a
 * file kept attached after use, the same attachment serving the next run, detached once idle, at once when its
 * keep-open is zero, and at once when every kept file is closed (a one-shot command ending); a log a killed process
 * left, replayed as the file is attached. Whether the file is still attached shows in another opener: a database of its
 * own (in this process or another) cannot open a file the process's database has attached.
 */
class DuckDbFilesTest {
    /** One file, opened and closed from many threads at once: attaching and detaching take turns. */
    @Test
    void manyThreadsOpenAndCloseOneFileAtOnce() throws Exception {
        Path file = Files.createTempDirectory("duckdb-files").resolve("shared.duckdb");
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int thread = 0; thread < 8; thread++) {
                results.add(threads.submit(() -> {
                    int read = 0;
                    for (int i = 0; i < 100; i++) {
                        try (Connection connection = connect(file, Duration.ZERO); Statement statement = connection.createStatement();
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

    /** Runs into different files at once, each through unqualified names, each find their own file and nothing else. */
    @Test
    void runsIntoDifferentFilesAtOnceEachWriteTheirOwnFile() throws Exception {
        Path directory = Files.createTempDirectory("duckdb-files");
        int files = 6;
        int runs = 20;
        List<Future<?>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int index = 0; index < files; index++) {
                int thread = index;
                results.add(threads.submit(() -> {
                    for (int run = 0; run < runs; run++) {
                        write(directory.resolve("file" + thread + ".duckdb"), Duration.ofMillis(run % 2 == 0 ? 0 : 50), thread);
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        }
        DuckDbFiles.closeAllKept();
        for (int index = 0; index < files; index++) {
            assertEquals(List.of((long) runs, (long) index, (long) index), plainRows(directory.resolve("file" + index + ".duckdb"),
                    "SELECT count(*), min(id), max(id) FROM rows"), "file " + index + " holds its own rows only");
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

    /**
     * A second run within the keep-open finds the file as the first left it attached (the same attachment: DuckDB numbers
     * each anew), with the first run's rows; once detached, another process opens the file and finds both runs' rows.
     */
    @Test
    void aFileStaysAttachedForTheNextRunWithinItsKeepOpenAndAnotherProcessOpensItOnceDetached() throws Exception {
        Path file = Files.createTempDirectory("kept").resolve("kept.duckdb");
        Duration keepOpen = Duration.ofMinutes(10);
        write(file, keepOpen, 1);
        List<Object> first = attachment(file, keepOpen);
        write(file, keepOpen, 2);
        List<Object> second = attachment(file, keepOpen);
        assertEquals(first, second, "the same attachment (its name and DuckDB's number of it) served both runs");
        assertEquals(2, count(file));

        DuckDbFileRelease.detachIfIdle(file);
        List<Object> after = attachment(file, Duration.ZERO);
        assertNotEquals(first.get(1), after.get(1), "attached anew once detached");
        assertEquals(List.of("2"), otherProcess(file, "count"), "another process opens the detached file and reads both commits");
    }

    /**
     * DuckDB lets a detached file go only once every transaction that looked at every attached file's catalog (as
     * {@code duckdb_tables()} does) has ended: a run into the file meanwhile waits for that, then attaches it again.
     */
    @Test
    void aFileDetachedWhileAnotherFilesTransactionStillSeesItIsAttachedAgainOnceThatEnds() throws Exception {
        Path directory = Files.createTempDirectory("lingering");
        Path file = directory.resolve("file.duckdb");
        write(file, Duration.ofMinutes(10), 1);
        Thread waiting = Thread.currentThread();
        try (Connection committing = connect(directory.resolve("other.duckdb"), Duration.ZERO); Statement statement = committing.createStatement();
             ExecutorService commits = Executors.newSingleThreadExecutor()) {
            committing.setAutoCommit(false);
            statement.execute("CREATE TABLE tables AS SELECT count(*) AS tables FROM duckdb_tables()");
            DuckDbFileRelease.detachIfIdle(file);
            Future<?> commit = commits.submit(() -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (waiting.getState() != Thread.State.TIMED_WAITING) {
                    assertTrue(System.nanoTime() < deadline, "the next run waits for the file");
                    Thread.onSpinWait();
                }
                committing.commit();
                return null;
            });
            assertEquals(1, count(file), "attached again once the other transaction ended");
            commit.get();
        }
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

    /**
     * A process killed after its commit leaves the commit in the file's log, which attaching the file replays as opening
     * it did; detaching it checkpoints the file, so the log is gone.
     */
    @Test
    void aLogLeftByAKilledProcessIsReplayedAsTheFileIsAttached() throws Exception {
        Path file = Files.createTempDirectory("crashed").resolve("crashed.duckdb");
        assertEquals(List.of("committed"), otherProcess(file, "commit-and-die"));
        Path log = file.resolveSibling(file.getFileName() + ".wal");
        assertTrue(Files.exists(log), "the killed process left its log");

        assertEquals(1_000, count(file), "the commit, replayed from the log");
        assertFalse(Files.exists(log), "detached: checkpointed, the log folded into the file");
        assertEquals(List.of(1_000L, 0L, 999L), plainRows(file, "SELECT count(*), min(id), max(id) FROM rows"));
    }

    /**
     * DuckDB's memory limit, threads and temporary directory are the process's database's, so they hold for every file
     * attached to it. A plain open of an attached file fails, where before (a database per file, shared by the driver
     * with other openers in the process) it succeeded.
     */
    @Test
    void aLoadsMemoryThreadsAndTemporaryDirectoryHoldForEveryFileAttached() throws Exception {
        Path directory = Files.createTempDirectory("settings");
        Path temporary = directory.resolve("duckdb.tmp");
        DuckDbSettings settings = new DuckDbSettings("64MB", 1);
        DuckDbFiles.closeAllKept();
        try (Connection loading = DuckDbFiles.connect(directory.resolve("loading.duckdb"), Duration.ofMinutes(10), settings, temporary);
             Connection other = DuckDbFiles.connect(directory.resolve("other.duckdb"), Duration.ZERO, settings, directory.resolve("unused"));
             Statement statement = other.createStatement();
             ResultSet result = statement.executeQuery("SELECT current_setting('memory_limit'), current_setting('threads'),"
                     + " current_setting('temp_directory')")) {
            result.next();
            assertEquals(List.of("61.0 MiB", "1", temporary.toString()), List.of(result.getString(1), result.getString(2), result.getString(3)),
                    "64MB as DuckDB reports it, and the directory of the connection that made the database");
            SQLException conflict = assertThrows(SQLException.class,
                    () -> new DuckDBDriver().connect("jdbc:duckdb:" + directory.resolve("loading.duckdb"), new Properties()).close());
            assertTrue(DuckDbFiles.heldByAnotherDatabase(conflict), conflict.getMessage());
        } finally {
            DuckDbFiles.closeAllKept();
        }
        assertThrows(IllegalArgumentException.class, () -> new DuckDbSettings("1GB'; DROP TABLE x; --", 1));
        assertThrows(IllegalArgumentException.class, () -> new DuckDbSettings("64", 1), "DuckDB refuses a size without a unit");
        assertThrows(IllegalArgumentException.class, () -> new DuckDbSettings("64XB", 1), "nor one in a unit it does not know");
        assertEquals(List.of(64_000_000L, 1L << 30, 1_500_000_000L), List.of(new DuckDbSettings("64MB", 1).memoryLimitBytes(),
                new DuckDbSettings("1GiB", 1).memoryLimitBytes(), new DuckDbSettings("1.5 gb", 1).memoryLimitBytes()));
    }

    /**
     * A load that needs more memory for a while raises the limit for as long as it holds its grant; grants at once keep
     * the largest, and the limit falls back to the settings' once none is open. A grant below the settings changes nothing.
     */
    @Test
    void aGrantRaisesTheMemoryLimitUntilClosedAndGrantsAtOnceKeepTheLargest() throws Exception {
        Path directory = Files.createTempDirectory("grants");
        DuckDbFiles.closeAllKept();
        try (Connection connection = DuckDbFiles.connect(directory.resolve("grants.duckdb"), Duration.ZERO, new DuckDbSettings("32MiB", 1),
                directory.resolve("duckdb.tmp"))) {
            assertEquals("32.0 MiB", memoryLimit(connection));
            try (DuckDbInstance.MemoryGrant small = DuckDbFiles.memoryAtLeast(16L << 20)) {
                assertEquals("32.0 MiB", memoryLimit(connection), "below the settings' limit");
                try (DuckDbInstance.MemoryGrant large = DuckDbFiles.memoryAtLeast(128L << 20)) {
                    try (DuckDbInstance.MemoryGrant middle = DuckDbFiles.memoryAtLeast(64L << 20)) {
                        assertEquals("128.0 MiB", memoryLimit(connection));
                    }
                    assertEquals("128.0 MiB", memoryLimit(connection), "a smaller grant closing leaves the larger one's limit");
                }
                assertEquals("32.0 MiB", memoryLimit(connection));
            }
            DuckDbInstance.MemoryGrant first = DuckDbFiles.memoryAtLeast(100L << 20);
            DuckDbInstance.MemoryGrant second = DuckDbFiles.memoryAtLeast(100L << 20);
            first.close();
            first.close();
            assertEquals("100.0 MiB", memoryLimit(connection), "two grants of one size are two, and closing one twice closes it once");
            second.close();
            assertEquals("32.0 MiB", memoryLimit(connection));
        } finally {
            DuckDbFiles.closeAllKept();
        }
    }

    private static String memoryLimit(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT current_setting('memory_limit')")) {
            result.next();
            return result.getString(1);
        }
    }

    /** A sort larger than the memory limit (some 60 MB of digests under 32MB) spills into the temporary directory, and completes. */
    @Test
    void aLoadLargerThanTheMemoryLimitSpillsIntoTheTemporaryDirectory() throws Exception {
        Path directory = Files.createTempDirectory("spill");
        Path temporary = directory.resolve("duckdb.tmp");
        DuckDbFiles.closeAllKept();
        try (Connection connection = DuckDbFiles.connect(directory.resolve("large.duckdb"), Duration.ZERO, new DuckDbSettings("32MB", 1), temporary);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE sorted AS SELECT md5(range::VARCHAR) AS digest FROM range(1200000) ORDER BY digest");
            try (ResultSet result = statement.executeQuery("SELECT count(*) FROM sorted")) {
                result.next();
                assertEquals(1_200_000, result.getLong(1));
            }
            assertTrue(Files.isDirectory(temporary), "DuckDB made the temporary directory as it spilled");
        } finally {
            DuckDbFiles.closeAllKept();
        }
    }

    private static Connection connect(Path file, Duration keepOpen) throws SQLException {
        return DuckDbFiles.connect(file, keepOpen, DuckDbSettings.DEFAULT, file.resolveSibling("duckdb.tmp"));
    }

    /** Unqualified, as a destination's SQL is: the connection is switched to the file. */
    private static void write(Path file, Duration keepOpen, int row) throws SQLException {
        try (Connection connection = connect(file, keepOpen); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS rows (id INTEGER)");
            statement.execute("INSERT INTO rows VALUES (" + row + ")");
        }
    }

    /** The file's name in the process's database and DuckDB's number of that attachment. */
    private static List<Object> attachment(Path file, Duration keepOpen) throws SQLException {
        try (Connection connection = connect(file, keepOpen); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT database_name, database_oid FROM duckdb_databases()"
                     + " WHERE database_name = current_database()")) {
            result.next();
            return List.of(result.getString(1), result.getLong(2));
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
        try (Connection connection = connect(file, Duration.ZERO); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*) FROM rows")) {
            result.next();
            return result.getLong(1);
        }
    }

    /** The query's one row, read by a database of its own (the file must be detached). */
    private static List<Long> plainRows(Path file, String sql) throws SQLException {
        try (Connection connection = new DuckDBDriver().connect("jdbc:duckdb:" + file, new Properties());
             Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            List<Long> row = new ArrayList<>();
            for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
                row.add(result.getLong(column));
            }
            return row;
        }
    }

    /**
     * Runs another JVM on the file, with the driver alone: {@code count} prints the rows of table {@code rows};
     * {@code commit-and-die} commits 1,000 rows into it and halts at once, as a killed process would, before any
     * checkpoint. Returns what it printed.
     */
    private static List<String> otherProcess(Path file, String what) throws Exception {
        Path program = Files.createTempDirectory("other").resolve("Other.java");
        Files.writeString(program, """
                public class Other {
                    public static void main(String[] arguments) throws Exception {
                        var connection = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:" + arguments[0], new java.util.Properties());
                        var statement = connection.createStatement();
                        if (arguments[1].equals("count")) {
                            var result = statement.executeQuery("SELECT count(*) FROM rows");
                            result.next();
                            System.out.println(result.getLong(1));
                            connection.close();
                            return;
                        }
                        statement.execute("CREATE TABLE rows (id INTEGER)");
                        statement.execute("INSERT INTO rows SELECT range FROM range(1000)");
                        System.out.println("committed");
                        System.out.flush();
                        Runtime.getRuntime().halt(0);
                    }
                }
                """, StandardCharsets.UTF_8);
        String java = ProcessHandle.current().info().command().orElse("java");
        Path driver = Path.of(DuckDBDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", driver.toString(), program.toString(),
                file.toString(), what).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the other process ends");
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            process.destroyForcibly();
        }
    }
}
