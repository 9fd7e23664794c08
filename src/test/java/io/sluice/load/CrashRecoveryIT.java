package io.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.PostgresServer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills the packaged application with SIGKILL at many points of a one-shot run (start-up, extract, normalize,
 * load jobs, commit), into DuckDB and into PostgreSQL, then lets a last run finish, and checks that no row was lost or loaded twice: every committed
 * load holds exactly the whole input, ids are unique, and no package is left behind. An incremental pipeline whose
 * source grows between runs is killed the same way: every item is loaded exactly once, and the stored cursor is
 * the last item's.
 */
class CrashRecoveryIT {
    /** Items of the input; {@code -Dsluice.crash.items} sets more for the larger run of {@code make bench-crash}. */
    private static final int ITEMS = Integer.getInteger("sluice.crash.items", 150_000);
    private static final String PG_SECRET = "crash-pg-password";
    private static final int TAGS_PER_ITEM = 2;
    /** When to kill, as fractions of an uninterrupted run's time; most fall in extract and load, the last near commit. */
    private static final double[] KILL_AT = {0.15, 0.3, 0.45, 0.55, 0.65, 0.72, 0.79, 0.85, 0.9, 0.94, 0.97};
    private static final int FIRST_BATCH = 60_000;
    /** Items the incremental source gains before each later run. */
    private static final int BATCH = 15_000;
    /**
     * When to kill the incremental runs: so many milliseconds after a line of their output, so that the kills land in
     * each stage whatever the machine's speed: extract, between sealing and loading, inside the load's transaction
     * (after its first file, after its last, just before the commit).
     */
    private static final List<Map.Entry<String, Integer>> INCREMENTAL_KILLS = List.of(Map.entry("extracting resource", 0),
            Map.entry("extracting resource", 400), Map.entry("INFO  loading", 0), Map.entry("load     items ", 0),
            Map.entry("load     items__tags", 0), Map.entry("INFO  loading", 150), Map.entry("load     items__tags", 40));

    /** Where a crash test loads: the pipeline's destination, and how to read back what it committed. */
    private record Target(String destination, String dataset, Function<String, List<List<String>>> rows) {
        long count(String sql) {
            return Long.parseLong(rows.apply(sql).getFirst().getFirst());
        }
    }

    private static Target target(String kind, Path data) {
        return switch (kind) {
            case "duckdb" -> new Target("{ duckdb: { path: crash.duckdb }, dataset: raw }", "raw",
                    sql -> DuckDbQueries.rows(data.resolve("crash.duckdb"), sql));
            case "postgres" -> {
                PostgresServer.dropDataset("crash_pg");
                yield new Target(PostgresServer.destination(PG_SECRET, "crash_pg"), "crash_pg", PostgresServer::rows);
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "into {0}")
    @ValueSource(strings = {"duckdb", "postgres"})
    void killedRunsLoseAndDuplicateNothing(String kind) throws Exception {
        Path work = Files.createTempDirectory("crash");
        Path input = Files.createDirectories(work.resolve("input"));
        try (BufferedWriter out = Files.newBufferedWriter(input.resolve("items.jsonl"))) {
            for (int i = 0; i < ITEMS; i++) {
                out.write("{\"id\":" + i + ",\"name\":\"item " + i + "\",\"tags\":[\"a" + i + "\",\"b" + i + "\"]}\n");
            }
        }
        Path data = work.resolve("data");
        Target target = target(kind, data);
        Path pipeline = Files.writeString(work.resolve("crash.yaml"), """
                name: crash
                source: { filesystem: { base_path: "%s", resources: [ { name: items, glob: "*.jsonl" } ] } }
                destination: %s
                """.formatted(input, target.destination()));

        long started = System.nanoTime();
        Process first = start(pipeline, data);
        assertTrue(first.waitFor(120, TimeUnit.SECONDS), "an uninterrupted run ends");
        assertEquals(0, first.exitValue());
        long uninterruptedMillis = (System.nanoTime() - started) / 1_000_000;

        int killed = 0;
        for (double fraction : KILL_AT) {
            Process run = start(pipeline, data);
            if (!run.waitFor((long) (uninterruptedMillis * fraction), TimeUnit.MILLISECONDS)) {
                run.destroyForcibly().waitFor();
                killed++;
            }
        }
        Process last = start(pipeline, data);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS), "the last run ends");
        assertEquals(0, last.exitValue(), "the last run completes");
        assertTrue(killed >= KILL_AT.length / 2, "most runs were killed mid-way: " + killed + " of " + KILL_AT.length);

        String dataset = target.dataset();
        long loads = target.count("SELECT count(*) FROM " + dataset + "._sluice_loads");
        assertTrue(loads >= 1);
        assertEquals(List.of(), target.rows().apply("SELECT l.load_id FROM " + dataset + "._sluice_loads l WHERE"
                + " (SELECT count(*) FROM " + dataset + ".items i WHERE i._sluice_load_id = l.load_id) <> " + ITEMS
                + " OR (SELECT count(*) FROM " + dataset + ".items__tags t WHERE t._sluice_load_id = l.load_id) <> "
                + ITEMS * TAGS_PER_ITEM),
                "every committed load holds the whole input, no more, no less");
        assertEquals(ITEMS * loads, target.count("SELECT count(*) FROM " + dataset + ".items"), "no rows outside a committed load");
        assertEquals(ITEMS * loads, target.count("SELECT count(DISTINCT _sluice_id) FROM " + dataset + ".items"));
        assertEquals(0, target.count("SELECT count(*) FROM " + dataset + ".items__tags t WHERE NOT EXISTS"
                + " (SELECT 1 FROM " + dataset + ".items i WHERE i._sluice_id = t._sluice_parent_id)"), "no orphaned nested rows");
        Path packages = data.resolve("packages").resolve("crash");
        try (var left = Files.list(packages)) {
            assertEquals(0, left.count(), "no package left behind");
        }
        assertEquals(0, target.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + dataset + "_staging'"),
                "no staging table left behind");
    }

    @Test
    void killedIncrementalRunsLoadEveryItemOnceAndKeepAnExactCursor() throws Exception {
        Path work = Files.createTempDirectory("crash-incremental");
        Path input = Files.createDirectories(work.resolve("input"));
        Path pipeline = Files.writeString(work.resolve("crash-incremental.yaml"), """
                name: crash-incremental
                source:
                  filesystem:
                    base_path: "%s"
                    resources: [ { name: items, glob: "*.jsonl", primary_key: [id], incremental: { cursor_path: id } } ]
                destination: { duckdb: { path: crash.duckdb }, dataset: raw }
                """.formatted(input));
        Path data = work.resolve("data");

        int written = batch(input, 0, FIRST_BATCH);
        Process first = start(pipeline, data);
        assertTrue(first.waitFor(120, TimeUnit.SECONDS), "an uninterrupted run ends");
        assertEquals(0, first.exitValue());

        Path log = pipeline.resolveSibling("runs.log");
        int killed = 0;
        for (Map.Entry<String, Integer> kill : INCREMENTAL_KILLS) {
            written = batch(input, written, BATCH);
            long seen = Files.size(log);
            Process run = start(pipeline, data);
            if (killAfter(run, log, seen, kill.getKey(), kill.getValue())) {
                killed++;
            }
        }
        written = batch(input, written, BATCH);
        Process last = start(pipeline, data);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS), "the last run ends");
        assertEquals(0, last.exitValue(), "the last run completes");
        assertTrue(killed >= INCREMENTAL_KILLS.size() - 1, "the runs were killed mid-way: " + killed + " of " + INCREMENTAL_KILLS.size());
        assertTrue(Files.readString(log).contains("sealed by an earlier run that did not commit it"), "a sealed package was resumed");

        Path database = data.resolve("crash.duckdb");
        assertEquals(List.of(List.of(String.valueOf(written), String.valueOf(written), "0", String.valueOf(written - 1))),
                DuckDbQueries.rows(database, "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM raw.items"),
                "every item once: none lost, none twice");
        assertEquals((long) written * TAGS_PER_ITEM, DuckDbQueries.count(database, "SELECT count(*) FROM raw.items__tags"));
        assertEquals(List.of(List.of(String.valueOf(written - 1))), DuckDbQueries.rows(database, "SELECT json_extract_string(state,"
                + " '$.cursors.items.lastValue.value') FROM raw._sluice_pipeline_state WHERE pipeline = 'crash-incremental'"
                + " ORDER BY version DESC LIMIT 1"), "the stored cursor is the last item's");
        try (var left = Files.list(data.resolve("packages").resolve("crash-incremental"))) {
            assertEquals(0, left.count(), "no package left behind");
        }
    }

    /**
     * Kills the run {@code delayMillis} after {@code marker} appears in its output (past {@code seen} bytes of the log);
     * false when it ended first.
     */
    private static boolean killAfter(Process run, Path log, long seen, String marker, int delayMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (run.isAlive() && System.nanoTime() < deadline) {
            String output;
            try (var channel = java.nio.channels.FileChannel.open(log)) {
                java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate((int) (channel.size() - seen));
                channel.read(bytes, seen);
                output = new String(bytes.array(), java.nio.charset.StandardCharsets.UTF_8);
            }
            if (output.contains(marker)) {
                Thread.sleep(delayMillis);
                if (!run.isAlive()) {
                    return false;
                }
                run.destroyForcibly().waitFor();
                return true;
            }
            Thread.sleep(5);
        }
        run.waitFor();
        return false;
    }

    /** Writes items {@code from} to {@code from + count - 1} as a new file; returns how many items there are now. */
    private static int batch(Path input, int from, int count) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(input.resolve("items-%08d.jsonl".formatted(from)))) {
            for (int i = from; i < from + count; i++) {
                out.write("{\"id\":" + i + ",\"name\":\"item " + i + "\",\"tags\":[\"a" + i + "\",\"b" + i + "\"]}\n");
            }
        }
        return from + count;
    }

    private static Process start(Path pipeline, Path data) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dsluice.data-dir=" + data, "-jar",
                Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString(), "run", "-f", pipeline.toString());
        process.environment().put("SLUICE_SECRET_CRASH_PG_PASSWORD", PostgresServer.PASSWORD);
        return process
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(pipeline.resolveSibling("runs.log").toFile()))
                .start();
    }
}
