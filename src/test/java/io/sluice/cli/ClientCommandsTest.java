package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.runs.SluiceConfig;
import io.sluice.testing.BlockedCommits;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FreshDataDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The commands that talk to a server, against the real service through the gRPC API. */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
class ClientCommandsTest {
    /** The test profile's gRPC port, which a build can move (-D%test.quarkus.grpc.server.test-port) when tests run side by side. */
    private static final String SERVER = "localhost:"
            + ConfigProvider.getConfig().getOptionalValue("quarkus.grpc.server.test-port", Integer.class).orElse(18181);

    @Inject
    SluiceConfig config;

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
    void auditShowsWhoAppliedWhatAndKeysShowTheirScope() throws Exception {
        Path directory = Files.createTempDirectory("cli-audit");
        Files.writeString(directory.resolve("audited.yaml"), """
                name: cli-audited
                labels: { team: auditors }
                source: { filesystem: { base_path: %s, resources: [ { name: customers, glob: customers.csv } ] } }
                destination: { duckdb: { path: cli-audited.duckdb }, dataset: raw }
                """.formatted(Path.of("deploy/samples").toAbsolutePath()));
        Result applied = execute(new ApplyCommand(), "-f", directory.toString(), "--server", SERVER);
        assertEquals(0, applied.exitCode(), applied.errors());

        Result audit = execute(new AuditCommand(), "--pipeline", "cli-audited", "--since", "1h", "--server", SERVER);
        assertEquals(0, audit.exitCode(), audit.errors());
        assertTrue(audit.output().lines().anyMatch(line -> line.contains("anonymous") && line.contains("UpdatePipeline")
                && line.contains("OK") && line.contains("cli-audited")), audit.output());
        Result json = execute(new AuditCommand(), "--pipeline", "cli-audited", "-o", "json", "--server", SERVER);
        assertTrue(json.output().contains("\"action\": \"UpdatePipeline\"") && json.output().contains("\"actor\": \"anonymous\""),
                json.output());
        Result later = execute(new AuditCommand(), "--pipeline", "cli-audited", "--since", "2999-01-01T00:00:00Z", "--server", SERVER);
        assertEquals(1, later.output().lines().count(), "only the heading: " + later.output());
        assertEquals(2, execute(new AuditCommand(), "--since", "last week", "--server", SERVER).exitCode(), "a usage error");

        Result created = execute(new AuthCommand.Keys.Create(), "--role", "operator", "--scope", "team=auditors", "--server", SERVER);
        assertEquals(0, created.exitCode(), created.errors());
        assertTrue(created.output().contains("(operator, scope team=auditors)"), created.output());
        Result keys = execute(new AuthCommand.Keys.ListKeys(), "--server", SERVER);
        assertTrue(keys.output().contains("scope team=auditors"), keys.output());
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
                transforms: [ { resource: nowhere, drop: { columns: [x] } } ]
                source: { filesystem: { resources: [ { name: a, glob: "*.csv" } ] } }
                destination: { duckdb: { path: later.duckdb } }
                """);
        Result result = execute(new ApplyCommand(), "-f", directory.toString(), "--server", SERVER);
        assertEquals(1, result.exitCode());
        assertTrue(result.errors().contains("INVALID_ARGUMENT"), result.errors());
        assertTrue(result.errors().contains("transforms[0].resource"), result.errors());
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
    void pendingPackagesAreListedDiscardedAndRetried() throws Exception {
        Path directory = Files.createTempDirectory("cli-pending");
        Files.writeString(directory.resolve("pending.yaml"), """
                name: cli-pending
                source: { filesystem: { base_path: "%s", resources: [ { name: items, glob: items.jsonl } ] } }
                destination: { duckdb: { path: cli-pending.duckdb }, dataset: raw }
                """.formatted(BlockedCommits.items(20)));
        Path database = config.dataDir().resolve("cli-pending.duckdb");
        assertEquals(0, execute(new ApplyCommand(), "-f", directory.toString(), "--server", SERVER).exitCode());
        assertEquals(0, execute(new RunsCommand.Trigger(), "cli-pending", "--watch", "--server", SERVER).exitCode());
        Result none = execute(new PackagesCommand.ListPackages(), "cli-pending", "--server", SERVER);
        assertEquals(0, none.exitCode(), none.errors());
        assertEquals("pipeline cli-pending has no pending load packages\n", none.output());

        BlockedCommits.block(database);
        Result failed = execute(new RunsCommand.Trigger(), "cli-pending", "--watch", "--server", SERVER);
        assertEquals(1, failed.exitCode());
        String loadId = loadId(failed.errors());
        assertTrue(failed.errors().contains("`sluice pipelines packages retry cli-pending " + loadId + "`"), failed.errors());
        Result listed = execute(new PackagesCommand.ListPackages(), "cli-pending", "--server", SERVER);
        assertEquals(0, listed.exitCode(), listed.errors());
        assertTrue(listed.output().startsWith("pending load packages of pipeline cli-pending, oldest first:\n  " + loadId
                + "  20 rows (items 20)\n"), listed.output());
        assertTrue(listed.output().contains("    jobs: 0 new, 0 started, 1 completed, 0 failed\n"), listed.output());
        assertTrue(listed.output().contains("    last failure: committing load " + loadId), listed.output());

        Result unknown = execute(new PackagesCommand.Retry(), "cli-pending", "no-such-load", "--server", SERVER);
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.errors().startsWith("NOT_FOUND: pipeline cli-pending has no pending load package no-such-load"),
                unknown.errors());
        Result discarded = execute(new PackagesCommand.Discard(), "cli-pending", loadId, "--by", "ops", "--reason", "bad batch",
                "--server", SERVER);
        assertEquals(0, discarded.exitCode(), discarded.errors());
        assertTrue(discarded.output().startsWith("discarded load package " + loadId + " of pipeline cli-pending: 20 rows (items 20)"
                + " thrown away; recorded as " + loadId + "  20 rows (items 20)  discarded by ops at "), discarded.output());
        assertTrue(discarded.output().endsWith(": bad batch\n"), discarded.output());
        Result history = execute(new PackagesCommand.ListPackages(), "cli-pending", "--server", SERVER);
        assertTrue(history.output().contains("has no pending load packages\ndiscarded, latest first:\n  " + loadId), history.output());
        assertEquals(1, execute(new PackagesCommand.Discard(), "cli-pending", loadId, "--server", SERVER).exitCode(),
                "a package is discarded once");

        String pending = loadId(execute(new RunsCommand.Trigger(), "cli-pending", "--watch", "--server", SERVER).errors());
        BlockedCommits.unblock(database);
        Result retried = execute(new PackagesCommand.Retry(), "cli-pending", pending, "--watch", "--server", SERVER);
        assertEquals(0, retried.exitCode(), retried.errors());
        assertTrue(retried.output().contains("to commit load package " + pending), retried.output());
        assertTrue(retried.output().contains("committed resumed load " + pending + " of run "), retried.output());
        assertEquals(3 * 20, DuckDbQueries.count(database, "SELECT count(*) FROM raw.items"), "first run, retried package, retry's own");
    }

    /** The load id of the package a failed run left, as its error names it. */
    private static String loadId(String errors) {
        Matcher named = Pattern.compile("load package (\\S+) \\(\\d+ rows\\) stays pending").matcher(errors);
        assertTrue(named.find(), errors);
        return named.group(1);
    }

    @Test
    void applyWithPruneMakesTheSelectedPipelinesEqualToTheDirectory() throws Exception {
        Path outside = Files.createTempDirectory("gitops-outside");
        Files.writeString(outside.resolve("other.yaml"), csvPipeline("gitops-other", "other", "owned by another team"));
        assertEquals(0, execute(new ApplyCommand(), "-f", outside.toString(), "--server", SERVER).exitCode());

        Path directory = Files.createTempDirectory("gitops");
        Files.writeString(directory.resolve("a.yaml"), csvPipeline("gitops-a", "billing", "first"));
        Files.writeString(directory.resolve("b.yaml"), csvPipeline("gitops-b", "billing", "second"));
        Result planned = execute(new DiffCommand(), "-f", directory.toString(), "--prune", "--selector", "team=billing", "--server", SERVER);
        assertEquals(1, planned.exitCode(), planned.errors());
        assertEquals(List.of("+ create gitops-a (from " + directory.resolve("a.yaml") + ")",
                "+ create gitops-b (from " + directory.resolve("b.yaml") + ")"), planned.output().lines().toList());
        assertEquals(1, execute(new PipelinesCommand.Get(), "gitops-a", "--server", SERVER).exitCode(), "diff changes nothing");

        Result created = execute(new ApplyCommand(), "-f", directory.toString(), "--prune", "--selector", "team=billing", "--server", SERVER);
        assertEquals(0, created.exitCode(), created.errors());
        assertTrue(created.output().contains("+ create gitops-a") && created.output().contains("applied gitops-b from "), created.output());

        Result again = execute(new ApplyCommand(), "-f", directory.toString(), "--prune", "--selector", "team=billing", "--server", SERVER);
        assertEquals(0, again.exitCode(), again.errors());
        assertEquals(List.of("= unchanged gitops-a", "= unchanged gitops-b"), again.output().lines().toList());
        assertEquals(0, execute(new DiffCommand(), "-f", directory.toString(), "--prune", "-l", "team=billing", "--server", SERVER).exitCode());

        Files.writeString(directory.resolve("a.yaml"), csvPipeline("gitops-a", "billing", "first, described again"));
        Files.delete(directory.resolve("b.yaml"));
        Result changed = execute(new ApplyCommand(), "-f", directory.toString(), "--prune", "--selector", "team=billing", "--server", SERVER);
        assertEquals(0, changed.exitCode(), changed.errors());
        assertEquals(List.of("~ update gitops-a (fields: description)", "- delete gitops-b",
                "applied gitops-a from " + directory.resolve("a.yaml"), "deleted gitops-b"), changed.output().lines().toList());
        assertEquals(0, execute(new PipelinesCommand.Get(), "gitops-other", "--server", SERVER).exitCode(),
                "the prune kept to the selector's pipelines");

        assertEquals("gitops-a  first, described again  team=billing\n", execute(new PipelinesCommand.ListPipelines(),
                "-l", "team=billing", "--server", SERVER).output());
        Result billing = execute(new PipelinesCommand.ListPipelines(), "--selector", "team=billing", "-o", "json", "--server", SERVER);
        assertEquals(0, billing.exitCode(), billing.errors());
        List<String> names = new ArrayList<>();
        new ObjectMapper().readTree(billing.output()).get("pipelines").forEach(pipeline -> names.add(pipeline.get("name").asText()));
        assertEquals(List.of("gitops-a"), names);
        assertEquals("billing", new ObjectMapper().readTree(execute(new PipelinesCommand.Get(), "gitops-a", "-o", "json", "--server",
                SERVER).output()).get("labels").get("team").asText());
    }

    @Test
    void applyChangesNothingWhenAFileIsRefused() throws Exception {
        Path directory = Files.createTempDirectory("gitops-refused");
        Files.writeString(directory.resolve("good.yaml"), csvPipeline("gitops-good", "billing", "fine"));
        Files.writeString(directory.resolve("bad.yaml"), csvPipeline("gitops-bad", "-billing", "a label value may not start with '-'"));
        Result refused = execute(new ApplyCommand(), "-f", directory.toString(), "--server", SERVER);
        assertEquals(1, refused.exitCode(), refused.output());
        assertTrue(refused.errors().contains("INVALID_ARGUMENT") && refused.errors().contains("labels[team]: value '-billing'"),
                refused.errors());
        assertEquals(1, execute(new PipelinesCommand.Get(), "gitops-good", "--server", SERVER).exitCode(), "nothing was created");

        Files.delete(directory.resolve("bad.yaml"));
        Result outsideTheSelector = execute(new ApplyCommand(), "-f", directory.toString(), "--prune", "--selector", "team=ops",
                "--server", SERVER);
        assertEquals(1, outsideTheSelector.exitCode(), outsideTheSelector.output());
        assertTrue(outsideTheSelector.errors().contains("does not carry the selector's labels (team=ops)"), outsideTheSelector.errors());
        assertEquals(2, execute(new DiffCommand(), "-f", directory.toString(), "--selector", "bad selector", "--server", SERVER)
                .exitCode(), "a malformed selector is a usage error");
    }

    @Test
    void aPipelineWithALiveRunIsStillUpdated() throws Exception {
        Path directory = Files.createTempDirectory("gitops-live");
        Path items = BlockedCommits.items(300_000);
        String spec = """
                name: gitops-live
                description: "%s"
                source: { filesystem: { base_path: "%s", resources: [ { name: items, glob: items.jsonl } ] } }
                destination: { duckdb: { path: gitops-live.duckdb }, dataset: raw }
                """;
        Files.writeString(directory.resolve("live.yaml"), spec.formatted("before", items));
        assertEquals(0, execute(new ApplyCommand(), "-f", directory.toString(), "--server", SERVER).exitCode());
        Result triggered = execute(new RunsCommand.Trigger(), "gitops-live", "--server", SERVER);
        Matcher id = Pattern.compile("triggered run (\\S+)").matcher(triggered.output());
        assertTrue(id.find(), triggered.output() + triggered.errors());

        Files.writeString(directory.resolve("live.yaml"), spec.formatted("after", items));
        Result updated = execute(new ApplyCommand(), "-f", directory.toString(), "--server", SERVER);
        String state = new ObjectMapper().readTree(execute(new RunsCommand.Get(), id.group(1), "-o", "json", "--server", SERVER)
                .output()).get("state").asText();
        assertEquals(0, updated.exitCode(), updated.errors());
        assertTrue(updated.output().startsWith("~ update gitops-live (fields: description)\napplied gitops-live"), updated.output());
        assertTrue(List.of("PENDING", "RUNNING").contains(state), "the run was still live when its pipeline was updated: " + state);
        assertEquals(0, execute(new RunsCommand.Watch(), id.group(1), "--server", SERVER).exitCode(), "and it completes");
    }

    @Test
    void readCommandsPrintTheirResponsesAsJson() throws Exception {
        Path directory = Files.createTempDirectory("cli-json");
        Files.writeString(directory.resolve("json.yaml"), csvPipeline("cli-json", "data", "read back as JSON"));
        assertEquals(0, execute(new ApplyCommand(), "-f", directory.toString(), "--server", SERVER).exitCode());
        Result triggered = execute(new RunsCommand.Trigger(), "cli-json", "--watch", "--server", SERVER);
        assertEquals(0, triggered.exitCode(), triggered.errors());

        JsonNode runs = json(execute(new RunsCommand.ListRuns(), "--pipeline", "cli-json", "-o", "json", "--server", SERVER));
        String runId = runs.get("runs").get(0).get("id").asText();
        JsonNode run = json(execute(new RunsCommand.Get(), runId, "--output", "JSON", "--server", SERVER));
        assertEquals("COMPLETED", run.get("state").asText());
        assertEquals("cli-json", run.get("pipeline").asText());
        Result watched = execute(new RunsCommand.Watch(), runId, "-o", "json", "--server", SERVER);
        assertEquals(0, watched.exitCode(), watched.errors());
        List<JsonNode> events = new ArrayList<>();
        for (String line : watched.output().lines().toList()) {
            events.add(new ObjectMapper().readTree(line));
        }
        assertEquals(runId, events.getFirst().get("snapshot").get("run").get("id").asText(), "a late watcher gets a snapshot first");
        assertTrue(events.stream().anyMatch(event -> event.has("summary")), watched.output());
        JsonNode schema = json(execute(new DatasetsCommand.Schema(), "cli-json", "-o", "json", "--server", SERVER));
        assertEquals("customers", schema.get("tables").get(0).get("name").asText(), schema.toString());
        JsonNode preview = json(execute(new DatasetsCommand.Preview(), "cli-json", "customers", "-n", "2", "-o", "json", "--server", SERVER));
        assertEquals(2, preview.get("rows").size(), preview.toString());
        assertTrue(preview.get("columns").toString().contains("customer_id"), preview.toString());
        JsonNode packages = json(execute(new PackagesCommand.ListPackages(), "cli-json", "-o", "json", "--server", SERVER));
        assertFalse(packages.has("pending_packages"), "none pending: " + packages);
        assertEquals(2, execute(new RunsCommand.ListRuns(), "-o", "yaml", "--server", SERVER).exitCode(), "only text and json");
    }

    private static JsonNode json(Result result) throws Exception {
        assertEquals(0, result.exitCode(), result.errors());
        return new ObjectMapper().readTree(result.output());
    }

    /** A pipeline loading the sample customers.csv, labelled with its team. */
    private static String csvPipeline(String name, String team, String description) {
        return """
                name: %s
                description: "%s"
                labels: { team: "%s" }
                source: { filesystem: { base_path: "%s", resources: [ { name: customers, glob: customers.csv } ] } }
                destination: { duckdb: { path: %s.duckdb }, dataset: raw }
                """.formatted(name, description, team, Path.of("deploy/samples").toAbsolutePath(), name);
    }

    @Test
    void watchingAnUnknownRunExitsOne() {
        Result result = execute(new RunsCommand.Watch(), "no-such-run", "--server", SERVER);
        assertEquals(1, result.exitCode());
        assertTrue(result.errors().contains("NOT_FOUND"), result.errors());
    }

    @Test
    void logsShowsARunsStoredLinesAsTextAsJsonAndFollowed() throws Exception {
        Path directory = Files.createTempDirectory("cli-logs");
        Files.writeString(directory.resolve("logged.yaml"), """
                name: cli-logged
                source: { filesystem: { base_path: %s, resources: [ { name: items, table_name: customers, glob: customers.csv } ] } }
                destination: { duckdb: { path: cli-logged.duckdb }, dataset: raw }
                """.formatted(Path.of("deploy/samples").toAbsolutePath()));
        assertEquals(0, execute(new ApplyCommand(), "-f", directory.toString(), "--server", SERVER).exitCode());
        Result triggered = execute(new RunsCommand.Trigger(), "cli-logged", "--watch", "--server", SERVER);
        assertEquals(0, triggered.exitCode(), triggered.errors());
        Matcher id = Pattern.compile("triggered run (\\S+)").matcher(triggered.output());
        assertTrue(id.find(), triggered.output());

        Result text = execute(new RunLogsCommand(), id.group(1), "--server", SERVER);
        assertEquals(0, text.exitCode(), text.errors());
        assertTrue(Pattern.compile("(?m)^\\S+Z INFO  extracting resource items into table customers$").matcher(text.output()).find(),
                text.output());
        assertTrue(text.output().contains("INFO  committed load "), text.output());

        Result json = execute(new RunLogsCommand(), id.group(1), "-o", "json", "--server", SERVER);
        assertEquals(0, json.exitCode(), json.errors());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : json.output().split("\n")) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertEquals(text.output().lines().count(), lines.size(), json.output());
        assertTrue(lines.stream().anyMatch(line -> line.path("log").path("message").asText()
                .equals("extracting resource items into table customers")), json.output());

        Result followed = execute(new RunLogsCommand(), id.group(1), "--follow", "--server", SERVER);
        assertEquals(0, followed.exitCode(), followed.errors());
        assertEquals(text.output(), followed.output(), "following a run that ended shows its stored lines, then stops");
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
