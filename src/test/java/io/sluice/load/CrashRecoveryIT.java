package io.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.PostgresServer;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills the packaged application with SIGKILL in each stage of a one-shot run, into DuckDB and into PostgreSQL: each
 * kill is placed by the line of the run's output that says the run has reached that stage (extract, the package
 * sealed, inside a load job, inside the commit's transaction). For every kill it checks that the kill landed there
 * (the line was seen, the run died by the kill, the package and the destination are as that stage leaves them) and
 * that the next run resumed the package the kill left; then a last run finishes, and no row was lost or loaded twice:
 * every committed load holds exactly the whole input, ids are unique, and no package is left behind. An incremental
 * pipeline whose source grows between runs is killed the same way: every item is loaded exactly once, and the stored
 * cursor is the last item's.
 */
// Above what the largest documented size takes (make bench-crash, 1,000,000 items); every wait of a run has its own
// deadline, scaled by the size, which ends a stuck run long before this.
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class CrashRecoveryIT {
    /** Items of the input; {@code -Dsluice.crash.items} sets more for the larger run of {@code make bench-crash}. */
    private static final int ITEMS = Integer.getInteger("sluice.crash.items", 150_000);
    /** How long one run may take, killed or not: far more than it needs (a few seconds at 150,000 items). */
    private static final Duration RUN_DEADLINE = Duration.ofSeconds(60 + ITEMS / 2_500);
    private static final String PG_SECRET = "crash-pg-password";
    private static final int TAGS_PER_ITEM = 2;
    private static final int FIRST_BATCH = 60_000;
    /**
     * Items the incremental source gains before each later run: enough that its extract outlasts the kill sent at its
     * first progress line (with 15,000 a run once sealed before the kill landed, on a busy machine).
     */
    private static final int BATCH = 50_000;
    /** A JVM killed by SIGKILL exits with 128 + 9. */
    private static final int KILLED = 137;

    /**
     * Where a kill is aimed: the stage a run is in when its marker line appears in its output. The stages after
     * sealing are those of the run's own package, named by load id (a run first resumes what an earlier one left).
     */
    private enum Stage {
        /** Extract has begun; no item was read yet. */
        EXTRACT_STARTED("INFO  extracting resource items "),
        /** Items are being normalized into the package (its first progress line). */
        EXTRACTING("extract  items .* [1-9][\\d,]* rows "),
        /** The package is sealed: the run's checkpoint, not committed. */
        SEALED("INFO  sealed load package (?<load>\\S+): "),
        /** The first job (of the package's two, a table each) is loaded, the second is loading. */
        INSIDE_LOAD_JOBS("INFO  loading job 2 of 2 of load {load}: "),
        /** The commit's transaction has begun: the rows move into their tables. */
        COMMIT_STARTED("INFO  committing load {load}: "),
        /** Every row is in its table and the load recorded: only COMMIT is left. */
        BEFORE_COMMIT("INFO  load {load}: \\d+ rows in their tables and the load recorded; committing the transaction");

        private final String marker;

        Stage(String marker) {
            this.marker = marker;
        }

        boolean afterSealing() {
            return marker.contains("{load}");
        }

        /** The marker of this stage; of the package {@code loadId} for a stage after sealing. */
        Pattern marker(String loadId) {
            return Pattern.compile("^" + marker.replace("{load}", Pattern.quote(loadId)));
        }
    }

    /**
     * What a kill left and what the next run must do with it: extract again (nothing was sealed), resume the package
     * (sealed, not committed), or only remove it (committed just before the kill); a package the killed run had
     * already removed after its commit leaves the next run nothing to do.
     */
    private enum Left {
        NOTHING_SEALED, UNCOMMITTED_PACKAGE, COMMITTED_PACKAGE, COMMITTED_AND_REMOVED
    }

    /** One kill: where it was aimed, the load it hit (empty in extract), and what it left. */
    private record Kill(Stage stage, Optional<String> loadId, Left left) {
        /** Asserts that {@code next}, the next run's output, did with what this kill left what it must. */
        void assertHandledBy(List<String> next) {
            String output = String.join("\n", next);
            switch (left) {
                case NOTHING_SEALED -> assertTrue(next.stream().noneMatch(line -> line.contains("resuming load")
                        || line.contains("committed by an earlier run")), "after a kill in " + stage
                        + " nothing was sealed, so the next run resumes nothing and extracts again:\n" + output);
                case UNCOMMITTED_PACKAGE -> assertTrue(next.stream().anyMatch(line -> line.contains("INFO  resuming load "
                        + loadId.orElseThrow() + " ")) && next.stream().anyMatch(line -> line.startsWith("INFO  committed resumed load "
                        + loadId.orElseThrow() + " of run ")),
                        "the next run resumes and commits load " + loadId.orElseThrow() + ", killed in " + stage + ":\n" + output);
                case COMMITTED_PACKAGE -> assertTrue(next.contains("INFO  load " + loadId.orElseThrow()
                        + " was committed by an earlier run; removing its package"), "the next run finds load "
                        + loadId.orElseThrow() + ", killed in " + stage + " after its commit, committed:\n" + output);
                case COMMITTED_AND_REMOVED -> assertTrue(next.stream().noneMatch(line -> line.contains(loadId.orElseThrow())),
                        "the next run has nothing to do with load " + loadId.orElseThrow() + ", committed and removed"
                        + " before the kill:\n" + output);
            }
        }
    }

    /** Where a crash test loads: the pipeline's destination, and how to read back what it committed. */
    private record Target(String kind, String destination, String dataset, Function<String, List<List<String>>> rows) {
        long count(String sql) {
            return Long.parseLong(rows.apply(sql).getFirst().getFirst());
        }

        boolean committed(String loadId) {
            return count("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + dataset
                    + "' AND table_name = '_sluice_loads'") == 1
                    && count("SELECT count(*) FROM " + dataset + "._sluice_loads WHERE load_id = '" + loadId + "'") == 1;
        }
    }

    private static Target target(String kind, Path data) {
        return switch (kind) {
            case "duckdb" -> new Target(kind, "{ duckdb: { path: crash.duckdb }, dataset: raw }", "raw",
                    sql -> DuckDbQueries.rows(data.resolve("crash.duckdb"), sql));
            case "postgres" -> {
                PostgresServer.dropDataset("crash_pg");
                yield new Target(kind, PostgresServer.destination(PG_SECRET, "crash_pg"), "crash_pg", PostgresServer::rows);
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /**
     * The stages killed, in order. A DuckDB job only checks that its file is readable (the commit reads the files
     * itself), so there is no time inside its load jobs to kill.
     */
    private static List<Stage> stages(String kind) {
        return Stream.of(Stage.values()).filter(stage -> stage != Stage.INSIDE_LOAD_JOBS || kind.equals("postgres")).toList();
    }

    @ParameterizedTest(name = "into {0}")
    @ValueSource(strings = {"duckdb", "postgres"})
    void killedRunsLoseAndDuplicateNothing(String kind, @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work) throws Exception {
        Path input = Files.createDirectories(work.resolve("input"));
        batch(input, 0, ITEMS);
        Path data = work.resolve("data");
        Target target = target(kind, data);
        Path pipeline = Files.writeString(work.resolve("crash.yaml"), """
                name: crash
                source: { filesystem: { base_path: "%s", resources: [ { name: items, glob: "*.jsonl" } ] } }
                destination: %s
                """.formatted(input, target.destination()));

        killInEveryStage(pipeline, data, target, stages(kind), () -> {
        });

        String dataset = target.dataset();
        long loads = target.count("SELECT count(*) FROM " + dataset + "._sluice_loads");
        assertTrue(loads >= 1, "at least the last run committed a load, got " + loads);
        assertEquals(List.of(), target.rows().apply("SELECT l.load_id FROM " + dataset + "._sluice_loads l WHERE"
                + " (SELECT count(*) FROM " + dataset + ".items i WHERE i._sluice_load_id = l.load_id) <> " + ITEMS
                + " OR (SELECT count(*) FROM " + dataset + ".items__tags t WHERE t._sluice_load_id = l.load_id) <> "
                + ITEMS * TAGS_PER_ITEM),
                "every committed load holds the whole input, no more, no less");
        assertEquals(ITEMS * loads, target.count("SELECT count(*) FROM " + dataset + ".items"), "no rows outside a committed load");
        assertEquals(ITEMS * loads, target.count("SELECT count(DISTINCT _sluice_id) FROM " + dataset + ".items"),
                "no row loaded twice");
        assertEquals(0, target.count("SELECT count(*) FROM " + dataset + ".items__tags t WHERE NOT EXISTS"
                + " (SELECT 1 FROM " + dataset + ".items i WHERE i._sluice_id = t._sluice_parent_id)"), "no orphaned nested rows");
        assertNoPackageLeft(data, "crash");
        assertEquals(0, target.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + dataset + "_staging'"),
                "no staging table left behind");
    }

    @Test
    void killedIncrementalRunsLoadEveryItemOnceAndKeepAnExactCursor(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work) throws Exception {
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
        Target target = new Target("duckdb", "", "raw", sql -> DuckDbQueries.rows(data.resolve("crash.duckdb"), sql));

        int[] written = {batch(input, 0, FIRST_BATCH)};
        AppRun first = AppRun.start(pipeline, data, Optional.empty());
        first.assertCompleted();
        killInEveryStage(pipeline, data, target, stages("duckdb"), () -> written[0] = batch(input, written[0], BATCH));

        Path database = data.resolve("crash.duckdb");
        int items = written[0];
        assertEquals(List.of(List.of(String.valueOf(items), String.valueOf(items), "0", String.valueOf(items - 1))),
                DuckDbQueries.rows(database, "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM raw.items"),
                "every item once: none lost, none twice");
        assertEquals((long) items * TAGS_PER_ITEM, DuckDbQueries.count(database, "SELECT count(*) FROM raw.items__tags"),
                "every item's tags once");
        assertEquals(List.of(List.of(String.valueOf(items - 1))), DuckDbQueries.rows(database, "SELECT json_extract_string(state,"
                + " '$.cursors.items.lastValue.value') FROM raw._sluice_pipeline_state WHERE pipeline = 'crash-incremental'"
                + " ORDER BY version DESC LIMIT 1"), "the stored cursor is the last item's");
        assertNoPackageLeft(data, "crash-incremental");
    }

    /**
     * A server killed (SIGKILL) mid-run, its run's package sealed, then started again over the same data: the run is
     * CRASHED with the reason, then — its pipeline allowing a second attempt — resumed from its package under its own
     * id, and COMPLETED with every row once, in the one load the package is.
     */
    @Test
    void aKilledServersRunIsMarkedCrashedThenResumedUnderItsIdWhenTheServerRestarts(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work) throws Exception {
        Path input = Files.createDirectories(work.resolve("input"));
        batch(input, 0, ITEMS);
        Path pipelines = Files.createDirectories(work.resolve("pipelines"));
        Files.writeString(pipelines.resolve("crash-serve.yaml"), """
                name: crash-serve
                retries: { max_attempts: 2, backoff: 1s }
                source: { filesystem: { base_path: "%s", resources: [ { name: items, glob: "*.jsonl" } ] } }
                destination: { duckdb: { path: crash.duckdb }, dataset: raw }
                """.formatted(input));
        Path data = work.resolve("data");
        Server server = Server.start(pipelines, data, work.resolve("serve.log"));
        String runId;
        String loadId;
        try {
            Server.Watched killed = server.triggerAndKillOnceSealed("crash-serve");
            runId = killed.runId();
            loadId = killed.loadId();
        } finally {
            server.kill();
        }
        assertTrue(Files.exists(data.resolve("packages").resolve("crash-serve").resolve(loadId).resolve("manifest.json")),
                "the kill left the run's package sealed");

        Server restarted = Server.start(pipelines, data, work.resolve("serve.log"));
        String ended;
        try {
            assertEquals(0, restarted.client("runs", "watch", runId).exitCode(), "the resumed run completes");
            ended = restarted.client("runs", "get", runId).output();
        } finally {
            restarted.stop();
        }
        assertTrue(ended.contains("state: COMPLETED") && ended.contains("attempt: 2"), ended);
        Path catalog = data.resolve("catalog.duckdb");
        List<List<String>> changes = DuckDbQueries.rows(catalog, "SELECT json_extract_string(payload, '$.from'),"
                + " json_extract_string(payload, '$.to'), json_extract_string(payload, '$.reason') FROM run_events"
                + " WHERE run_id = '" + runId + "' AND kind = 'StateChanged' ORDER BY sequence");
        assertTrue(changes.stream().anyMatch(change -> change.get(1).equals("CRASHED")
                && change.get(2).startsWith("the process running it stopped before it ended: ")), changes.toString());
        assertTrue(changes.contains(List.of("CRASHED", "PENDING", "resumed after a crash: attempt 2 of 2")), changes.toString());
        assertEquals(List.of("RUNNING", "COMPLETED"), changes.getLast().subList(0, 2), changes.toString());

        Path database = data.resolve("crash.duckdb");
        assertEquals(List.of(List.of(loadId)), DuckDbQueries.rows(database, "SELECT load_id FROM raw._sluice_loads"),
                "one load: the package the killed run sealed");
        assertEquals(List.of(List.of(String.valueOf(ITEMS), String.valueOf(ITEMS), "0", String.valueOf(ITEMS - 1))),
                DuckDbQueries.rows(database, "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM raw.items"),
                "every item once");
        assertEquals((long) ITEMS * TAGS_PER_ITEM, DuckDbQueries.count(database, "SELECT count(*) FROM raw.items__tags"));
        assertNoPackageLeft(data, "crash-serve");
    }

    /**
     * Kills a run of the pipeline in each of {@code stages}, checking where each kill landed and that the next run
     * handled what it left, then lets a last run complete. {@code beforeEachRun} changes the source before each run.
     */
    private static void killInEveryStage(Path pipeline, Path data, Target target, List<Stage> stages, Runnable beforeEachRun)
            throws Exception {
        Optional<Kill> previous = Optional.empty();
        for (Stage stage : stages) {
            beforeEachRun.run();
            AppRun run = AppRun.start(pipeline, data, Optional.of(stage));
            Kill kill = run.assertKilled(target);
            List<String> beforeKill = run.lines();
            previous.ifPresent(earlier -> earlier.assertHandledBy(beforeKill));
            System.out.println("crash test into " + target.kind() + ": killed in " + stage + ", " + kill.left()
                    + kill.loadId().map(load -> " (load " + load + ")").orElse(""));
            previous = Optional.of(kill);
        }
        beforeEachRun.run();
        AppRun last = AppRun.start(pipeline, data, Optional.empty());
        last.assertCompleted();
        previous.ifPresent(earlier -> earlier.assertHandledBy(last.lines()));
    }

    private static void assertNoPackageLeft(Path data, String pipeline) throws IOException {
        try (Stream<Path> left = Files.list(data.resolve("packages").resolve(pipeline))) {
            assertEquals(List.of(), left.toList(), "no package left behind");
        }
    }

    /**
     * The packaged application running the pipeline once, its output read as it comes (and appended to runs.log
     * beside the pipeline). Aimed at a stage, it is killed by the reading thread the moment the stage's marker line
     * arrives, so that the run gets as little further as possible.
     */
    private static final class AppRun {
        private final Process process;
        private final Path data;
        private final String pipelineName;
        private final Optional<Stage> aim;
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;
        private String loadId;
        private boolean markerSeen;

        private AppRun(Process process, Path data, String pipelineName, Optional<Stage> aim, Path log) {
            this.process = process;
            this.data = data;
            this.pipelineName = pipelineName;
            this.aim = aim;
            this.reader = Thread.ofPlatform().name("crash-run-output").start(() -> read(log));
        }

        static AppRun start(Path pipeline, Path data, Optional<Stage> aim) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dsluice.data-dir=" + data,
                    "-jar", Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString(), "run", "-f",
                    pipeline.toString());
            builder.environment().put("SLUICE_SECRET_CRASH_PG_PASSWORD", PostgresServer.PASSWORD);
            String name = pipeline.getFileName().toString().replaceFirst("\\.yaml$", "");
            return new AppRun(builder.redirectErrorStream(true).start(), data, name, aim, pipeline.resolveSibling("runs.log"));
        }

        private void read(Path log) {
            try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 BufferedWriter copy = Files.newBufferedWriter(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                copy.write("---- run of " + pipelineName + aim.map(stage -> ", to be killed in " + stage).orElse("") + "\n");
                String line;
                while ((line = output.readLine()) != null) {
                    boolean kill = hitsAim(line);
                    if (kill) {
                        // SIGKILL through the handle: Process.destroyForcibly would also close the output being read.
                        process.toHandle().destroyForcibly();
                    }
                    synchronized (this) {
                        lines.add(line);
                        markerSeen |= kill;
                    }
                    copy.write(line + "\n");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Whether {@code line} is the marker of the stage aimed at (for the run's own package, once it is sealed). */
        private boolean hitsAim(String line) {
            if (aim.isEmpty() || markerSeen) {
                return false;
            }
            Stage stage = aim.get();
            if (!stage.afterSealing()) {
                Matcher matcher = stage.marker("").matcher(line);
                if (!matcher.find()) {
                    return false;
                }
                if (stage == Stage.SEALED) {
                    loadId = matcher.group("load");
                }
                return true;
            }
            if (loadId == null) {
                Matcher sealed = Stage.SEALED.marker("").matcher(line);
                if (sealed.find()) {
                    loadId = sealed.group("load");
                }
                return false;
            }
            return stage.marker(loadId).matcher(line).find();
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        /** Waits for the run to end, its output read to the end; how it ended. */
        private int awaitEnd() throws InterruptedException {
            if (!process.waitFor(RUN_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                reader.join(Duration.ofSeconds(10));
                fail("the run of " + pipelineName + aim.map(stage -> ", to be killed in " + stage).orElse("")
                        + " did not end within " + RUN_DEADLINE.toSeconds() + " s; its last lines:\n" + lastLines());
            }
            reader.join(Duration.ofSeconds(10));
            assertFalse(reader.isAlive(), "the run's output was read to its end");
            return process.exitValue();
        }

        void assertCompleted() throws InterruptedException {
            int exit = awaitEnd();
            assertEquals(0, exit, "the uninterrupted run of " + pipelineName + " completes; its last lines:\n" + lastLines());
        }

        /** Asserts that the run was killed in the stage it was aimed at, and says what the kill left. */
        Kill assertKilled(Target target) throws InterruptedException {
            Stage stage = aim.orElseThrow();
            int exit = awaitEnd();
            assertTrue(markerSeen(), "the run's output reached " + stage + " (a line matching " + stage.marker(
                    loadId == null ? "<load>" : loadId) + "); it ended with exit code " + exit + ", its last lines:\n" + lastLines());
            assertEquals(KILLED, exit, "the run died by the kill in " + stage + ", not by ending; its last lines:\n" + lastLines());
            List<Path> sealed = sealedPackages();
            if (!stage.afterSealing() && stage != Stage.SEALED) {
                assertEquals(List.of(), sealed, "a kill in " + stage + " leaves no sealed package");
                return new Kill(stage, Optional.empty(), Left.NOTHING_SEALED);
            }
            Path own = data.resolve("packages").resolve(pipelineName).resolve(loadId);
            boolean committed = target.committed(loadId);
            if (stage != Stage.BEFORE_COMMIT) {
                assertFalse(committed, "a kill in " + stage + " commits nothing of load " + loadId);
                assertEquals(List.of(own), sealed, "a kill in " + stage + " leaves its package, sealed");
                if (stage == Stage.INSIDE_LOAD_JOBS) {
                    assertEquals(List.of(1L, 1L), List.of(jobs(own, "completed_jobs"), jobs(own, "new_jobs") + jobs(own, "started_jobs")),
                            "a kill inside the load jobs leaves the first completed, the second not");
                }
                return new Kill(stage, Optional.of(loadId), Left.UNCOMMITTED_PACKAGE);
            }
            // Just before COMMIT: the kill may beat it or not, and the destination says which.
            if (!committed) {
                assertEquals(List.of(own), sealed, "a kill before load " + loadId + " committed leaves its package, sealed");
                return new Kill(stage, Optional.of(loadId), Left.UNCOMMITTED_PACKAGE);
            }
            return new Kill(stage, Optional.of(loadId), sealed.contains(own) ? Left.COMMITTED_PACKAGE : Left.COMMITTED_AND_REMOVED);
        }

        private synchronized boolean markerSeen() {
            return markerSeen;
        }

        /** The pipeline's packages that have a manifest: sealed, not yet committed or removed. */
        private List<Path> sealedPackages() {
            Path packages = data.resolve("packages").resolve(pipelineName);
            if (!Files.isDirectory(packages)) {
                return List.of();
            }
            try (Stream<Path> each = Files.list(packages)) {
                // a hidden one is being removed (committed), and no run loads it again
                return each.filter(directory -> !directory.getFileName().toString().startsWith("."))
                        .filter(directory -> Files.exists(directory.resolve("manifest.json"))).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static long jobs(Path loadPackage, String folder) {
            Path jobs = loadPackage.resolve(folder);
            if (!Files.isDirectory(jobs)) {
                return 0;
            }
            try (Stream<Path> each = Files.list(jobs)) {
                return each.count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private String lastLines() {
            List<String> all = lines();
            return String.join("\n", all.subList(Math.max(0, all.size() - 15), all.size()));
        }
    }

    /**
     * The packaged application serving the gRPC API on a free port over a data directory, with its pipeline files
     * applied; its output appended to a log. Clients are the application's own CLI, against that port.
     */
    private record Server(Process process, int port) {
        /** A client command's exit code and output. */
        record Answer(int exitCode, String output) {
        }

        /** A run triggered and watched, its server killed once the run sealed its package. */
        record Watched(String runId, String loadId) {
        }

        private static final Pattern TRIGGERED = Pattern.compile("^triggered run (\\S+) of pipeline ");
        private static final Pattern SEALED = Pattern.compile("INFO  sealed load package (\\S+): ");

        static Server start(Path pipelines, Path data, Path log) throws Exception {
            int port = freePort();
            ProcessBuilder builder = new ProcessBuilder(java(), "--enable-native-access=ALL-UNNAMED", "-Dsluice.data-dir=" + data,
                    "-Dquarkus.grpc.server.port=" + port, "-Dquarkus.http.port=" + freePort(), "-Dsluice.auth.enabled=false",
                    "-jar", jar(), "serve", "-f", pipelines.toString());
            Server server = new Server(builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start(), port);
            long deadline = System.nanoTime() + RUN_DEADLINE.toNanos();
            while (server.client("runs", "list").exitCode() != 0) {
                assertTrue(server.process().isAlive(), "the server started; see " + log);
                assertTrue(System.nanoTime() < deadline, "the server answers within " + RUN_DEADLINE.toSeconds() + " s; see " + log);
            }
            return server;
        }

        Answer client(String... command) throws Exception {
            List<String> line = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-jar", jar()));
            line.addAll(List.of(command));
            line.addAll(List.of("-s", "localhost:" + port));
            Process client = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(client.waitFor(RUN_DEADLINE.toSeconds(), TimeUnit.SECONDS), String.join(" ", command) + " ends");
            return new Answer(client.exitValue(), output);
        }

        /** Triggers a run of {@code pipeline} and watches it; the moment it says its package is sealed, kills the server. */
        Watched triggerAndKillOnceSealed(String pipeline) throws Exception {
            Process watch = new ProcessBuilder(java(), "--enable-native-access=ALL-UNNAMED", "-jar", jar(), "runs", "trigger", pipeline,
                    "--watch", "-s", "localhost:" + port).redirectErrorStream(true).start();
            String runId = null;
            List<String> seen = new ArrayList<>();
            try (BufferedReader output = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = output.readLine()) != null) {
                    seen.add(line);
                    Matcher triggered = TRIGGERED.matcher(line);
                    if (triggered.find()) {
                        runId = triggered.group(1);
                    }
                    Matcher sealed = SEALED.matcher(line);
                    if (sealed.find()) {
                        process.toHandle().destroyForcibly();
                        assertTrue(process.waitFor(RUN_DEADLINE.toSeconds(), TimeUnit.SECONDS));
                        assertEquals(KILLED, process.exitValue());
                        assertTrue(runId != null, String.join("\n", seen));
                        return new Watched(runId, sealed.group(1));
                    }
                }
            } finally {
                watch.destroyForcibly().waitFor();
            }
            return fail("the run never said its package was sealed:\n" + String.join("\n", seen));
        }

        void kill() throws InterruptedException {
            process.toHandle().destroyForcibly();
            process.waitFor(RUN_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }

        /** Stops the server as an operator does (SIGTERM), so that it gives its catalog up. */
        void stop() throws InterruptedException {
            process.destroy();
            assertTrue(process.waitFor(RUN_DEADLINE.toSeconds(), TimeUnit.SECONDS), "the server stopped");
        }

        private static String java() {
            return ProcessHandle.current().info().command().orElse("java");
        }

        private static String jar() {
            return Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString();
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }

    /** Writes items {@code from} to {@code from + count - 1} as a new file; returns how many items there are now. */
    private static int batch(Path input, int from, int count) {
        try (BufferedWriter out = Files.newBufferedWriter(input.resolve("items-%08d.jsonl".formatted(from)))) {
            for (int i = from; i < from + count; i++) {
                out.write("{\"id\":" + i + ",\"name\":\"item " + i + "\",\"tags\":[\"a" + i + "\",\"b" + i + "\"]}\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return from + count;
    }
}
