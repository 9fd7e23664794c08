package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalog.JdbcCatalogStore;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunFilter;
import io.sluice.catalog.RunState;
import io.sluice.catalog.Trigger;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FileDataSource;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The commands that work without a server, launched as the real application: the packaged {@code bin/sluice}, a process
 * per command (an integration test, after package; as a {@code @QuarkusMainTest} each launch rebuilt the application in
 * the test JVM, about 10 s each on a quiet machine).
 */
class OneShotCommandsIT {
    private static final Path DATA = temporaryDirectory();
    private static final long DEADLINE_SECONDS = 120;

    /** What a launched command printed and how it exited. */
    private record LaunchResult(int exitCode, String output, String errorOutput) {
    }

    /** Runs {@code bin/sluice} with the arguments and the class's own data directory, to its end. */
    private static LaunchResult launch(String... arguments) throws IOException {
        Path streams = Files.createTempDirectory(DATA, "launch-");
        List<String> command = new ArrayList<>(List.of("bin/sluice"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(streams.resolve("out").toFile())
                .redirectError(streams.resolve("err").toFile());
        builder.environment().put("SLUICE_JAVA_OPTS", "-Dsluice.data-dir=" + DATA
                + " -Dquarkus.datasource.jdbc.url=jdbc:duckdb:" + DATA.resolve("catalog.duckdb"));
        Process process = builder.start();
        try {
            if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(command + " did not end within " + DEADLINE_SECONDS + " s: "
                        + Files.readString(streams.resolve("err"), StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + command, e);
        }
        return new LaunchResult(process.exitValue(), Files.readString(streams.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(streams.resolve("err"), StandardCharsets.UTF_8));
    }

    @Test
    void runLoadsAPipelineFileAndExitsZero() throws IOException {
        Path file = pipelineFile("one-shot", "customers.csv");
        LaunchResult result = launch("run", "-f", file.toString());
        assertEquals(0, result.exitCode(), result.errorOutput());
        assertTrue(result.output().contains("Rows loaded per table"), result.output());
        assertTrue(result.output().contains("customers"), result.output());
        assertEquals(5_000, DuckDbQueries.count(DATA.resolve("one-shot.duckdb"), "SELECT count(*) FROM raw.customers"));

        // The application has stopped: its catalog file still holds the run, its summary and its events.
        JdbcCatalogStore catalog = new JdbcCatalogStore(new FileDataSource(DATA.resolve("catalog.duckdb")));
        List<Run> runs = catalog.runs(new RunFilter(Optional.of("one-shot"), Set.of(), Optional.empty(), Optional.empty()), 10, "")
                .items();
        assertEquals(1, runs.size());
        assertEquals(RunState.COMPLETED, runs.getFirst().state());
        assertEquals(Trigger.CLI, runs.getFirst().trigger());
        assertEquals(5_000, runs.getFirst().summary().orElseThrow().rows());
        List<String> kinds = catalog.events(runs.getFirst().id()).stream().map(event -> event.kind()).toList();
        assertTrue(kinds.contains("Summary"), "the stored events hold the run's summary: " + kinds);
    }

    @Test
    void runWithARefreshEmptiesTheTablesBeforeLoading() throws IOException {
        Path file = pipelineFile("refreshed", "customers.csv");
        LaunchResult first = launch("run", "-f", file.toString());
        assertEquals(0, first.exitCode(), first.errorOutput());

        LaunchResult refreshed = launch("run", "-f", file.toString(), "--refresh", "drop-data", "--resource", "items");
        assertEquals(0, refreshed.exitCode(), refreshed.errorOutput());
        assertTrue(refreshed.output().contains("refresh DROP_DATA of items: emptying customers"), refreshed.output());
        assertEquals(List.of(List.of("5000", "1")), DuckDbQueries.rows(DATA.resolve("refreshed.duckdb"),
                "SELECT count(*), count(DISTINCT _sluice_load_id) FROM raw.customers"), "only the refreshing run's rows");

        LaunchResult unknown = launch("run", "-f", file.toString(), "--refresh", "drop-resources", "--resource", "orders");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.errorOutput().contains("resources[0]: pipeline 'refreshed' has no resource 'orders'; it has items"),
                unknown.errorOutput());
        LaunchResult badMode = launch("run", "-f", file.toString(), "--refresh", "drop-everything");
        assertEquals(2, badMode.exitCode());
        assertTrue(badMode.errorOutput().contains("'drop-everything' is not a refresh mode; use one of drop-sources,"
                + " drop-resources, drop-data"), badMode.errorOutput());
        assertEquals(2, launch("run", "-f", file.toString(), "--resource", "items").exitCode(), "--resource needs --refresh");
    }

    @Test
    void runOfAnInvalidFileExitsTwoNamingEveryProblem() throws IOException {
        Path file = Files.writeString(Files.createTempDirectory("cli").resolve("bad.yaml"), """
                name: Bad Name
                sauce: {}
                """);
        LaunchResult result = launch("run", "-f", file.toString());
        assertEquals(2, result.exitCode());
        assertTrue(result.errorOutput().contains("sauce: unknown field"), result.errorOutput());
    }

    @Test
    void runThatFailsExitsOneWithTheCause() throws IOException {
        Path file = pipelineFile("fails", "no-such-file.csv");
        LaunchResult result = launch("run", "-f", file.toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.errorOutput().contains("FAILED: resource 'items': no files match glob 'no-such-file.csv'"),
                result.errorOutput());
    }

    @Test
    void validateChecksEveryFileOfADirectory() throws IOException {
        LaunchResult shipped = launch("validate", "-f", "deploy/pipelines");
        assertEquals(0, shipped.exitCode(), shipped.output() + shipped.errorOutput());

        Path directory = Files.createTempDirectory("specs");
        Files.copy(pipelineFile("good", "customers.csv"), directory.resolve("good.yaml"));
        Files.copy(pipelineFile("good", "customers.csv"), directory.resolve("same-name.yaml"));
        Files.writeString(directory.resolve("broken.yml"), "name: [unclosed\n");
        LaunchResult result = launch("validate", "-f", directory.toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.errorOutput().contains("broken.yml"), result.errorOutput());
        assertTrue(result.errorOutput().contains("pipeline 'good' is also defined in"), result.errorOutput());
        assertTrue(result.output().contains("ok      " + directory.resolve("good.yaml")), result.output());
    }

    private static Path pipelineFile(String name, String glob) throws IOException {
        return Files.writeString(Files.createTempDirectory("cli").resolve(name + ".yaml"), """
                name: %s
                source:
                  filesystem:
                    base_path: %s
                    resources:
                      - name: items
                        table_name: customers
                        glob: "%s"
                destination:
                  duckdb: { path: %s.duckdb }
                  dataset: raw
                """.formatted(name, Path.of("deploy/samples").toAbsolutePath(), glob, name));
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("sluice-cli-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
