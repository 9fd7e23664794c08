package io.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.testing.DuckDbQueries;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Kills the packaged application with SIGKILL at many points of a one-shot run (start-up, extract, normalize,
 * load, commit), then lets a last run finish, and checks that no row was lost or loaded twice: every committed
 * load holds exactly the whole input, ids are unique, and no package is left behind.
 */
class CrashRecoveryIT {
    private static final int ITEMS = 150_000;
    private static final int TAGS_PER_ITEM = 2;
    /** When to kill, as fractions of an uninterrupted run's time; most fall in extract and load, the last near commit. */
    private static final double[] KILL_AT = {0.15, 0.3, 0.45, 0.55, 0.65, 0.72, 0.79, 0.85, 0.9, 0.94, 0.97};

    @Test
    void killedRunsLoseAndDuplicateNothing() throws Exception {
        Path work = Files.createTempDirectory("crash");
        Path input = Files.createDirectories(work.resolve("input"));
        try (BufferedWriter out = Files.newBufferedWriter(input.resolve("items.jsonl"))) {
            for (int i = 0; i < ITEMS; i++) {
                out.write("{\"id\":" + i + ",\"name\":\"item " + i + "\",\"tags\":[\"a" + i + "\",\"b" + i + "\"]}\n");
            }
        }
        Path pipeline = Files.writeString(work.resolve("crash.yaml"), """
                name: crash
                source: { filesystem: { base_path: "%s", resources: [ { name: items, glob: "*.jsonl" } ] } }
                destination: { duckdb: { path: crash.duckdb }, dataset: raw }
                """.formatted(input));
        Path data = work.resolve("data");

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

        Path database = data.resolve("crash.duckdb");
        long loads = DuckDbQueries.count(database, "SELECT count(*) FROM raw._sluice_loads");
        assertTrue(loads >= 1);
        assertEquals(List.of(), DuckDbQueries.rows(database, "SELECT l.load_id FROM raw._sluice_loads l WHERE"
                + " (SELECT count(*) FROM raw.items i WHERE i._sluice_load_id = l.load_id) <> " + ITEMS
                + " OR (SELECT count(*) FROM raw.items__tags t WHERE t._sluice_load_id = l.load_id) <> " + ITEMS * TAGS_PER_ITEM),
                "every committed load holds the whole input, no more, no less");
        assertEquals(ITEMS * loads, DuckDbQueries.count(database, "SELECT count(*) FROM raw.items"), "no rows outside a committed load");
        assertEquals(ITEMS * loads, DuckDbQueries.count(database, "SELECT count(DISTINCT _sluice_id) FROM raw.items"));
        assertEquals(0, DuckDbQueries.count(database, "SELECT count(*) FROM raw.items__tags t WHERE NOT EXISTS"
                + " (SELECT 1 FROM raw.items i WHERE i._sluice_id = t._sluice_parent_id)"), "no orphaned nested rows");
        Path packages = data.resolve("packages").resolve("crash");
        try (var left = Files.list(packages)) {
            assertEquals(0, left.count(), "no package left behind");
        }
    }

    private static Process start(Path pipeline, Path data) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dsluice.data-dir=" + data, "-jar",
                Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString(), "run", "-f", pipeline.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(pipeline.resolveSibling("runs.log").toFile()))
                .start();
    }
}
