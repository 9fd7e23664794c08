package io.sluice.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.Trigger;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.testing.Await;
import io.sluice.testing.CommitCuttingProxy;
import io.sluice.testing.EndedRun;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.PostgresPassword;
import io.sluice.testing.PostgresServer;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;

/**
 * Runs with a retry policy against destinations that fail them on purpose: a real PostgreSQL server whose connections
 * are ended mid-load, restarted mid-load, whose answer to a COMMIT is lost on the way, a port nobody listens on, a
 * wrong password; a DuckDB file another process holds. Each test has a dataset of its own.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
@QuarkusTestResource(PostgresPassword.class)
class RunRetriesTest {
    @Inject
    RunExecutor executor;

    @Inject
    SluiceConfig config;

    private record Ended(Run run, List<RunEvent> events) {
        List<String> logLines(RunEvent.LogLine.Level level) {
            return events.stream().filter(event -> event instanceof RunEvent.LogLine line && line.level() == level)
                    .map(event -> ((RunEvent.LogLine) event).message()).toList();
        }

        long logLinesStartingWith(String start) {
            return events.stream().filter(event -> event instanceof RunEvent.LogLine line && line.message().startsWith(start)).count();
        }

        /** The states the run went through once it ran (a watch may begin before it starts, or after). */
        List<RunState> statesFromRunning() {
            List<RunState> states = events.stream().map(event -> switch (event) {
                case RunEvent.Snapshot snapshot -> snapshot.run().state();
                case RunEvent.StateChanged change -> change.to();
                default -> null;
            }).filter(state -> state != null).toList();
            return states.subList(states.indexOf(RunState.RUNNING), states.size());
        }
    }

    @Test
    void aLoadCutOffMidwayIsRetriedFromItsSealedPackageExactlyOnce() throws Exception {
        String dataset = "retry_cut";
        PostgresServer.dropDataset(dataset);
        Path input = items(2_000);
        PipelineSpec spec = spec(dataset, input, destination(dataset, PostgresServer.HOST, PostgresServer.PORT),
                "retries: { max_attempts: 3, backoff: 100ms }");
        Run run;
        // Holding the dataset's lock parks the load inside its transaction; then its connection is ended under it.
        try (Connection holder = PostgresServer.connect(); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("SELECT pg_advisory_xact_lock(hashtext('sluice dataset " + dataset + "'))");
            run = executor.start(spec, "", Trigger.CLI);
            awaitParked(dataset);
            assertEquals(1, PostgresServer.endLoadsInto(dataset));
            holder.rollback();
        }
        Ended ended = watch(run);

        assertEquals(RunState.COMPLETED, ended.run().state(), ended.run().error());
        assertEquals(2, ended.run().attempt());
        List<String> warnings = ended.logLines(RunEvent.LogLine.Level.WARN);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().startsWith("attempt 2 of 3 in 0.1s after: "), warnings.getFirst());
        assertTrue(warnings.getFirst().contains("PostgreSQL database " + PostgresServer.DATABASE + " at " + PostgresServer.HOST + ":"
                + PostgresServer.PORT), warnings.getFirst());
        assertEquals(List.of(RunState.RUNNING, RunState.RETRYING, RunState.RUNNING, RunState.COMPLETED), ended.statesFromRunning());
        assertEquals(1, ended.logLinesStartingWith("extracting resource items"), "the source was read once");
        assertEquals(1, ended.logLinesStartingWith("loading the package sealed by an earlier attempt, load "
                + ended.run().summary().orElseThrow().loadId()));
        assertExactlyOnce(dataset, 2_000, ended.run());
    }

    @Test
    void postgresRestartedMidLoadLosesAndDuplicatesNothing() throws Exception {
        String dataset = "retry_restart";
        int count = 150_000;
        PostgresServer.dropDataset(dataset);
        Path input = items(count);
        PipelineSpec spec = spec(dataset, input, destination(dataset, PostgresServer.HOST, PostgresServer.PORT),
                "retries: { max_attempts: 10, backoff: 200ms, max_backoff: 2s, jitter: 0.1 }");
        Run run = executor.start(spec, "", Trigger.CLI);
        String restarted;
        try {
            awaitCopying(dataset, run);
            restarted = PostgresServer.restart();
        } finally {
            PostgresServer.ensureRunning();
        }
        Ended ended = watch(run);

        assertEquals(RunState.COMPLETED, ended.run().state(), restarted + "; " + ended.run().error());
        assertTrue(ended.run().attempt() >= 2, restarted + ": the load was cut off and retried");
        assertTrue(ended.logLines(RunEvent.LogLine.Level.WARN).stream().allMatch(line -> line.matches("attempt \\d+ of 10 in .*")),
                ended.logLines(RunEvent.LogLine.Level.WARN).toString());
        assertEquals(1, ended.logLinesStartingWith("extracting resource items"), "the source was read once");
        assertExactlyOnce(dataset, count, ended.run());
    }

    @Test
    void aCommitWhoseAnswerWasLostIsNotLoadedAgain() throws Exception {
        String dataset = "retry_lost_commit";
        PostgresServer.dropDataset(dataset);
        Ended ended;
        try (CommitCuttingProxy proxy = new CommitCuttingProxy()) {
            PipelineSpec spec = spec(dataset, items(1_000), destination(dataset, "127.0.0.1", proxy.port()),
                    "retries: { max_attempts: 3, backoff: 100ms }");
            ended = watch(executor.start(spec, "", Trigger.CLI));
            assertTrue(proxy.cut(), "the answer to the load's COMMIT was lost");
        }
        assertEquals(RunState.COMPLETED, ended.run().state(), ended.run().error());
        assertEquals(2, ended.run().attempt());
        assertEquals(1, ended.logLinesStartingWith("load " + ended.run().summary().orElseThrow().loadId()
                + " was committed by the attempt before; removing its package"));
        assertExactlyOnce(dataset, 1_000, ended.run());
    }

    @Test
    void anUnreachableServerFailsTheRunAfterItsLastAttempt() throws Exception {
        int port = closedPort();
        PipelineSpec spec = spec("retry_unreachable", items(10), destination("retry_unreachable", "127.0.0.1", port),
                "retries: { max_attempts: 3, backoff: 50ms }");
        Ended ended = watch(executor.start(spec, "", Trigger.CLI));

        assertEquals(RunState.FAILED, ended.run().state());
        assertEquals(3, ended.run().attempt());
        String cause = "cannot connect to PostgreSQL database " + PostgresServer.DATABASE + " at 127.0.0.1:" + port + " as "
                + PostgresServer.USER;
        assertTrue(ended.run().error().startsWith("attempt 3 of 3 failed: " + cause), ended.run().error());
        List<String> warnings = ended.logLines(RunEvent.LogLine.Level.WARN);
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("attempt 2 of 3 in 0.1s after: " + cause), warnings.get(0));
        assertTrue(warnings.get(1).startsWith("attempt 3 of 3 in 0.1s after: " + cause), warnings.get(1));
        assertEquals(List.of(ended.run().error()), ended.logLines(RunEvent.LogLine.Level.ERROR), "the cause is in the events");
        assertEquals(List.of(RunState.RUNNING, RunState.RETRYING, RunState.RUNNING, RunState.RETRYING, RunState.RUNNING,
                RunState.FAILED), ended.statesFromRunning());
    }

    @Test
    void failuresThatWouldRepeatAreNotRetried() throws Exception {
        String retries = "retries: { max_attempts: 3, backoff: 50ms }";
        String wrongPassword = "{ postgres: { host: %s, port: %d, database: %s, username: %s, password_secret: %s }, dataset: retry_wrong }"
                .formatted(PostgresServer.HOST, PostgresServer.PORT, PostgresServer.DATABASE, PostgresServer.USER,
                        PostgresPassword.WRONG_SECRET);
        Ended refused = watch(executor.start(spec("retry_wrong", items(10), wrongPassword, retries), "", Trigger.CLI));
        assertEquals(RunState.FAILED, refused.run().state());
        assertEquals(1, refused.run().attempt());
        assertTrue(refused.run().error().startsWith("cannot connect to PostgreSQL database " + PostgresServer.DATABASE + " at "
                + PostgresServer.HOST + ":" + PostgresServer.PORT + " as " + PostgresServer.USER), refused.run().error());
        assertTrue(refused.run().error().contains("password authentication failed"), refused.run().error());
        assertEquals(List.of(), refused.logLines(RunEvent.LogLine.Level.WARN));

        Path empty = Files.createTempDirectory("retry-nothing").resolve("items.jsonl");
        Ended missing = watch(executor.start(spec("retry_missing", empty, "{ duckdb: { path: missing.duckdb } }", retries), "",
                Trigger.CLI));
        assertEquals(RunState.FAILED, missing.run().state());
        assertEquals(1, missing.run().attempt());
        assertTrue(missing.run().error().contains("no files match glob"), missing.run().error());
        assertEquals(List.of(), missing.logLines(RunEvent.LogLine.Level.WARN));
    }

    @Test
    void cancellingARunThatWaitsToRetryEndsItAtOnce() throws Exception {
        PipelineSpec spec = spec("retry_cancelled", items(10), destination("retry_cancelled", "127.0.0.1", closedPort()),
                "retries: { max_attempts: 3, backoff: 1m }");
        Run run = executor.start(spec, "", Trigger.CLI);
        Await.until("the run to wait to retry", Duration.ofSeconds(30), () -> executor.get(run.id()),
                waiting -> waiting.state() == RunState.RETRYING);
        long cancelled = System.nanoTime();
        executor.cancel(run.id());
        Ended ended = watch(run);
        assertTrue(System.nanoTime() - cancelled < Duration.ofSeconds(5).toNanos(), "the wait was cut short");
        assertEquals(RunState.CANCELLED, ended.run().state());
        assertEquals(1, ended.run().attempt(), "no attempt after the cancel");
    }

    @Test
    void theTimeoutBoundsTheRunWithItsRetries() throws Exception {
        PipelineSpec spec = spec("retry_timeout", items(10), destination("retry_timeout", "127.0.0.1", closedPort()),
                "timeout: 500ms\nretries: { max_attempts: 3, backoff: 1m }");
        long started = System.nanoTime();
        Ended ended = watch(executor.start(spec, "", Trigger.CLI));
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(10).toNanos(), "the wait was cut short");
        assertEquals(RunState.FAILED, ended.run().state());
        assertEquals("timed out after 0.5s", ended.run().error());
        assertEquals(1, ended.run().attempt());
    }

    @Test
    void aDuckDbFileAnotherProcessHoldsIsWaitedFor() throws Exception {
        Path database = config.dataDir().resolve("held.duckdb");
        PipelineSpec spec = spec("retry_held", items(10), "{ duckdb: { path: held.duckdb }, dataset: raw }",
                "retries: { max_attempts: 20, backoff: 250ms, max_backoff: 500ms }");
        Process holder = holdDuckDbFile(database, Duration.ofSeconds(2));
        Ended ended;
        try {
            ended = watch(executor.start(spec, "", Trigger.CLI));
        } finally {
            holder.destroy();
            holder.waitFor();
        }
        assertEquals(RunState.COMPLETED, ended.run().state(), ended.run().error());
        assertTrue(ended.run().attempt() >= 2, "the first attempt found the file locked");
        assertTrue(ended.logLines(RunEvent.LogLine.Level.WARN).getFirst().contains("Conflicting lock"),
                ended.logLines(RunEvent.LogLine.Level.WARN).toString());
        assertEquals(List.of(List.of("10")), DuckDbQueries.rows(database, "SELECT count(*) FROM raw.items"));
    }

    /** Another process that opens the DuckDB file (and so locks it) for {@code time}; returns once it holds it. */
    private static Process holdDuckDbFile(Path database, Duration time) throws Exception {
        Path program = Files.createTempDirectory("holder").resolve("Hold.java");
        Files.writeString(program, """
                public class Hold {
                    public static void main(String[] arguments) throws Exception {
                        try (var connection = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:" + arguments[0], new java.util.Properties())) {
                            connection.createStatement().execute("CREATE TABLE IF NOT EXISTS held (id INTEGER)");
                            System.out.println("holding");
                            System.out.flush();
                            Thread.sleep(Long.parseLong(arguments[1]));
                        }
                    }
                }
                """);
        Files.createDirectories(database.getParent());
        String java = ProcessHandle.current().info().command().orElse("java");
        Path driver = Path.of(DuckDBDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process holder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", driver.toString(), program.toString(),
                database.toString(), String.valueOf(time.toMillis())).redirectErrorStream(true).start();
        String first = new BufferedReader(new InputStreamReader(holder.getInputStream())).readLine();
        assertEquals("holding", first, "the holder process opened the file");
        return holder;
    }

    /** Every input row once, its nested rows once, under the run's one committed load. */
    private static void assertExactlyOnce(String dataset, int count, Run run) {
        String loadId = run.summary().orElseThrow().loadId();
        assertEquals(List.of(List.of(loadId, String.valueOf(count * 3L))), PostgresServer.rows("SELECT load_id, rows FROM " + dataset
                + "._sluice_loads"), "one load, committed once");
        assertEquals(List.of(List.of(String.valueOf(count), String.valueOf(count), String.valueOf(count), "0", String.valueOf(count - 1))),
                PostgresServer.rows("SELECT count(*), count(DISTINCT id), count(DISTINCT _sluice_id), min(id), max(id) FROM "
                        + dataset + ".items"), "no row lost, none twice");
        assertEquals(List.of(List.of(String.valueOf(count * 2L), String.valueOf(count * 2L))), PostgresServer.rows(
                "SELECT count(*), count(DISTINCT _sluice_id) FROM " + dataset + ".items__tags"));
        assertEquals(0, PostgresServer.count("SELECT count(*) FROM " + dataset + ".items WHERE _sluice_load_id <> '" + loadId + "'"));
    }

    /** Waits until the run's load waits for the dataset's lock, inside its transaction. */
    private static void awaitParked(String dataset) throws Exception {
        Await.until("the load to wait for the lock of dataset " + dataset + " (sessions waiting)", Duration.ofSeconds(60),
                () -> PostgresServer.count("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sluice'"
                        + " AND wait_event_type = 'Lock' AND query LIKE '%sluice dataset " + dataset + "%'"),
                waiting -> waiting > 0);
    }

    /** Waits until the run streams rows into PostgreSQL with COPY. */
    private void awaitCopying(String dataset, Run run) throws Exception {
        record Seen(long copying, Run run) {
        }
        Seen seen = Await.until("the run to COPY rows into dataset " + dataset, Duration.ofSeconds(120),
                () -> new Seen(PostgresServer.count("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sluice'"
                        + " AND state = 'active' AND query LIKE 'COPY %" + dataset + "%'"), executor.get(run.id())),
                now -> now.copying() > 0 || now.run().state().isTerminal());
        assertTrue(seen.copying() > 0, "the run ended before its load was seen: " + seen.run());
    }

    /** Waits for the run to end; then reads its whole stored history (a live watch sees only what comes after it began). */
    private Ended watch(Run run) throws InterruptedException {
        events(run);
        return new Ended(executor.get(run.id()), events(run));
    }

    private List<RunEvent> events(Run run) throws InterruptedException {
        return EndedRun.watch(executor, run).events();
    }

    private static PipelineSpec spec(String dataset, Path input, String destination, String policy) {
        String name = dataset.replace('_', '-');
        return PipelineSpecs.toSpec(SpecReader.parse("""
                name: %s
                %s
                source: { filesystem: { base_path: "%s", resources: [ { name: items, glob: "%s" } ] } }
                destination: %s
                """.formatted(name, policy, input.getParent(), input.getFileName(), destination), name), name);
    }

    private static String destination(String dataset, String host, int port) {
        return "{ postgres: { host: %s, port: %d, database: %s, username: %s, password_secret: %s }, dataset: %s }"
                .formatted(host, port, PostgresServer.DATABASE, PostgresServer.USER, PostgresPassword.SECRET, dataset);
    }

    /** A port nothing listens on: connecting to it is refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@code count} items with ids 0.., each with two tags (a nested table). */
    private static Path items(int count) throws IOException {
        Path file = Files.createTempDirectory("retries").resolve("items.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < count; i++) {
                out.write("{\"id\":" + i + ",\"name\":\"item " + i + "\",\"tags\":[\"a" + i + "\",\"b" + i + "\"]}\n");
            }
        }
        return file;
    }
}
