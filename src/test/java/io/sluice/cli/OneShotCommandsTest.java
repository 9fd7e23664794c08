package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.sluice.catalog.JdbcCatalogStore;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunFilter;
import io.sluice.catalog.RunState;
import io.sluice.catalog.Trigger;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FileDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The commands that work without a server, launched as the real application. */
@QuarkusMainTest
@TestProfile(OneShotCommandsTest.OwnDataDirectory.class)
class OneShotCommandsTest {
    private static final Path DATA = temporaryDirectory();

    public static class OwnDataDirectory implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "sluice.data-dir", DATA.toString(),
                    "quarkus.datasource.jdbc.url", "jdbc:duckdb:" + DATA.resolve("catalog.duckdb"),
                    "quarkus.http.test-port", "0",
                    "quarkus.grpc.server.test-port", "0");
        }
    }

    @Test
    void runLoadsAPipelineFileAndExitsZero(QuarkusMainLauncher launcher) throws IOException {
        Path file = pipelineFile("one-shot", "customers.csv");
        LaunchResult result = launcher.launch("run", "-f", file.toString());
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertTrue(result.getOutput().contains("Rows loaded per table"), result.getOutput());
        assertTrue(result.getOutput().contains("customers"), result.getOutput());
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
    void runWithARefreshEmptiesTheTablesBeforeLoading(QuarkusMainLauncher launcher) throws IOException {
        Path file = pipelineFile("refreshed", "customers.csv");
        LaunchResult first = launcher.launch("run", "-f", file.toString());
        assertEquals(0, first.exitCode(), first.getErrorOutput());

        LaunchResult refreshed = launcher.launch("run", "-f", file.toString(), "--refresh", "drop-data", "--resource", "items");
        assertEquals(0, refreshed.exitCode(), refreshed.getErrorOutput());
        assertTrue(refreshed.getOutput().contains("refresh DROP_DATA of items: emptying customers"), refreshed.getOutput());
        assertEquals(List.of(List.of("5000", "1")), DuckDbQueries.rows(DATA.resolve("refreshed.duckdb"),
                "SELECT count(*), count(DISTINCT _sluice_load_id) FROM raw.customers"), "only the refreshing run's rows");

        LaunchResult unknown = launcher.launch("run", "-f", file.toString(), "--refresh", "drop-resources", "--resource", "orders");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.getErrorOutput().contains("resources[0]: pipeline 'refreshed' has no resource 'orders'; it has items"),
                unknown.getErrorOutput());
        LaunchResult badMode = launcher.launch("run", "-f", file.toString(), "--refresh", "drop-everything");
        assertEquals(2, badMode.exitCode());
        assertTrue(badMode.getErrorOutput().contains("'drop-everything' is not a refresh mode; use one of drop-sources,"
                + " drop-resources, drop-data"), badMode.getErrorOutput());
        assertEquals(2, launcher.launch("run", "-f", file.toString(), "--resource", "items").exitCode(), "--resource needs --refresh");
    }

    @Test
    void runOfAnInvalidFileExitsTwoNamingEveryProblem(QuarkusMainLauncher launcher) throws IOException {
        Path file = Files.writeString(Files.createTempDirectory("cli").resolve("bad.yaml"), """
                name: Bad Name
                sauce: {}
                """);
        LaunchResult result = launcher.launch("run", "-f", file.toString());
        assertEquals(2, result.exitCode());
        assertTrue(result.getErrorOutput().contains("sauce: unknown field"), result.getErrorOutput());
    }

    @Test
    void runThatFailsExitsOneWithTheCause(QuarkusMainLauncher launcher) throws IOException {
        Path file = pipelineFile("fails", "no-such-file.csv");
        LaunchResult result = launcher.launch("run", "-f", file.toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.getErrorOutput().contains("FAILED: resource 'items': no files match glob 'no-such-file.csv'"),
                result.getErrorOutput());
    }

    @Test
    void validateChecksEveryFileOfADirectory(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult shipped = launcher.launch("validate", "-f", "deploy/pipelines");
        assertEquals(0, shipped.exitCode(), shipped.getOutput() + shipped.getErrorOutput());

        Path directory = Files.createTempDirectory("specs");
        Files.copy(pipelineFile("good", "customers.csv"), directory.resolve("good.yaml"));
        Files.copy(pipelineFile("good", "customers.csv"), directory.resolve("same-name.yaml"));
        Files.writeString(directory.resolve("broken.yml"), "name: [unclosed\n");
        LaunchResult result = launcher.launch("validate", "-f", directory.toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.getErrorOutput().contains("broken.yml"), result.getErrorOutput());
        assertTrue(result.getErrorOutput().contains("pipeline 'good' is also defined in"), result.getErrorOutput());
        assertTrue(result.getOutput().contains("ok      " + directory.resolve("good.yaml")), result.getOutput());
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
