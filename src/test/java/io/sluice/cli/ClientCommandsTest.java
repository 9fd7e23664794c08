package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.FreshDataDirectory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The commands that talk to a server, against the real service through the gRPC API. */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
class ClientCommandsTest {
    private static final String SERVER = "localhost:18181";

    record Result(int exitCode, String output, String errors) {
    }

    @Test
    void applyTriggerWatchAndList() throws Exception {
        Result applied = execute(new ApplyCommand(), "-f", "deploy/pipelines", "--server", SERVER);
        assertEquals(0, applied.exitCode(), applied.errors());
        assertTrue(applied.output().contains("applied demo-events"), applied.output());

        Result triggered = execute(new RunsCommand.Trigger(), "demo-events", "--watch", "--server", SERVER);
        assertEquals(0, triggered.exitCode(), triggered.errors());
        assertTrue(triggered.output().contains("events                                 18,000"), triggered.output());
        assertTrue(triggered.output().contains("schema: new table events__tags (nested in events)"), triggered.output());
        Matcher id = Pattern.compile("triggered run (\\S+)").matcher(triggered.output());
        assertTrue(id.find(), "the trigger names its run ('triggered run <id>'): " + triggered.output());

        Result watched = execute(new RunsCommand.Watch(), id.group(1), "--server", SERVER);
        assertEquals(0, watched.exitCode(), watched.errors());
        assertTrue(watched.output().contains("COMPLETED"), watched.output());

        Result listed = execute(new RunsCommand.ListRuns(), "--pipeline", "demo-events", "--server", SERVER);
        assertEquals(0, listed.exitCode(), listed.errors());
        assertTrue(listed.output().contains(id.group(1)), listed.output());
        Result pipelines = execute(new PipelinesCommand.ListPipelines(), "--server", SERVER);
        assertEquals(0, pipelines.exitCode(), pipelines.errors());
        assertTrue(pipelines.output().contains("demo-events"), pipelines.output());

        Result schema = execute(new DatasetsCommand.Schema(), "demo-events", "--server", SERVER);
        assertEquals(0, schema.exitCode(), schema.errors());
        assertTrue(schema.output().contains("table events__tags (nested in events)"), schema.output());
        assertTrue(schema.output().contains("occurred_at"), schema.output());
        Result preview = execute(new DatasetsCommand.Preview(), "demo-events", "customers", "--limit", "2", "--server", SERVER);
        assertEquals(0, preview.exitCode(), preview.errors());
        assertEquals(3, preview.output().lines().count(), preview.output());
        assertTrue(preview.output().startsWith("_sluice_id\tcustomer_id"), preview.output());
    }

    @Test
    void triggerWithARefreshDropsTheNamedResources() throws Exception {
        Path directory = Files.createTempDirectory("cli-refresh");
        Files.writeString(directory.resolve("refreshed.yaml"), """
                name: cli-refreshed
                source: { filesystem: { base_path: %s, resources: [ { name: items, table_name: customers, glob: customers.csv } ] } }
                destination: { duckdb: { path: cli-refreshed.duckdb }, dataset: raw }
                """.formatted(Path.of("deploy/samples").toAbsolutePath()));
        Result applied = execute(new ApplyCommand(), "-f", directory.toString(), "--server", SERVER);
        assertEquals(0, applied.exitCode(), applied.errors());
        Result first = execute(new RunsCommand.Trigger(), "cli-refreshed", "--watch", "--server", SERVER);
        assertEquals(0, first.exitCode(), first.errors());

        Result refreshed = execute(new RunsCommand.Trigger(), "cli-refreshed", "--refresh", "drop-resources", "--resource", "items",
                "--watch", "--server", SERVER);
        assertEquals(0, refreshed.exitCode(), refreshed.errors());
        assertTrue(refreshed.output().contains("refresh DROP_RESOURCES of items: dropping customers"), refreshed.output());
        Matcher id = Pattern.compile("triggered run (\\S+)").matcher(refreshed.output());
        assertTrue(id.find(), "the trigger names its run ('triggered run <id>'): " + refreshed.output());
        Result shown = execute(new RunsCommand.Get(), id.group(1), "--server", SERVER);
        assertEquals(0, shown.exitCode(), shown.errors());
        assertTrue(shown.output().contains("refresh: DROP_RESOURCES") && shown.output().contains("refresh_resources: \"items\""),
                shown.output());

        Result refused = execute(new RunsCommand.Trigger(), "cli-refreshed", "--refresh", "drop-data", "--resource", "nope",
                "--server", SERVER);
        assertEquals(1, refused.exitCode(), refused.output() + refused.errors());
        assertTrue(refused.errors().contains("INVALID_ARGUMENT") && refused.errors().contains("resources[0]"), refused.errors());
    }

    @Test
    void applyReportsTheServersFieldViolations() throws Exception {
        Path directory = Files.createTempDirectory("apply");
        Files.writeString(directory.resolve("later.yaml"), """
                name: later
                schedule: { cron: "0 * * * *" }
                source: { filesystem: { resources: [ { name: a, glob: "*.csv" } ] } }
                destination: { duckdb: { path: later.duckdb } }
                """);
        Result result = execute(new ApplyCommand(), "-f", directory.toString(), "--server", SERVER);
        assertEquals(1, result.exitCode());
        assertTrue(result.errors().contains("UNIMPLEMENTED"), result.errors());
        assertTrue(result.errors().contains("schedule: schedules are not available yet"), result.errors());
    }

    @Test
    void anUnreachableServerIsNamed() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Result result = execute(new RunsCommand.ListRuns(), "--server", "localhost:" + closedPort);
        assertEquals(1, result.exitCode());
        assertTrue(result.errors().contains("UNAVAILABLE") && result.errors().contains(":" + closedPort), result.errors());
    }

    @Test
    void watchingAnUnknownRunExitsOne() {
        Result result = execute(new RunsCommand.Watch(), "no-such-run", "--server", SERVER);
        assertEquals(1, result.exitCode());
        assertTrue(result.errors().contains("NOT_FOUND"), result.errors());
    }

    private static synchronized Result execute(Object command, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(output, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
            int exitCode = new CommandLine(command).execute(args);
            return new Result(exitCode, output.toString(StandardCharsets.UTF_8), errors.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
