package io.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.catalog.Refresh;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.RunSummary;
import io.sluice.catalog.Trigger;
import io.sluice.pipeline.CursorValue;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.PipelineState;
import io.sluice.pipeline.SpecReader;
import io.sluice.runs.RunExecutor;
import io.sluice.runs.SluiceConfig;
import io.sluice.testing.EndedRun;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.PostgresPassword;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Specs;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Incremental loading end to end: real runs into real DuckDB files and the real PostgreSQL server, the stored cursor
 * read back through the destination and the state table queried directly.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
@QuarkusTestResource(PostgresPassword.class)
class IncrementalLoadTest {
    private static final String SECRET = PostgresPassword.SECRET;

    @Inject
    RunExecutor executor;

    @Inject
    Destinations destinations;

    @Inject
    SluiceConfig config;

    /** A destination a test loads into: where, and how to query it. */
    private record Target(String destinationYaml, Function<String, List<List<String>>> query) {
        long count(String sql) {
            return Long.parseLong(query.apply(sql).getFirst().getFirst());
        }
    }

    private Target duckdb(String file) {
        Path database = config.dataDir().resolve(file);
        return new Target("{ duckdb: { path: " + file + " }, dataset: raw }", sql -> DuckDbQueries.rows(database, sql));
    }

    private static Target postgres() {
        PostgresServer.dropDataset("raw_incremental");
        return new Target(PostgresServer.destination(SECRET, "raw_incremental"),
                sql -> PostgresServer.rows(sql.replace("raw.", "raw_incremental.")));
    }

    private static PipelineSpec spec(String name, Path directory, String resourceOptions, Target target) {
        return Specs.items(name, directory, resourceOptions, target.destinationYaml());
    }

    /** A run to its end, with the log lines it published. */
    private record Ended(Run run, List<String> log) {
        RunSummary.TableRows table(String name) {
            return run.summary().orElseThrow().tables().stream().filter(table -> table.table().equals(name)).findFirst().orElseThrow();
        }
    }

    private Ended run(PipelineSpec spec) throws InterruptedException {
        EndedRun ended = EndedRun.watch(executor, executor.start(spec, "", Trigger.CLI));
        return new Ended(ended.run(), ended.log());
    }

    private Ended completed(PipelineSpec spec) throws InterruptedException {
        Ended ended = run(spec);
        assertEquals(RunState.COMPLETED, ended.run().state(), ended.run().error() + " " + ended.log());
        return ended;
    }

    private PipelineState state(PipelineSpec spec) {
        return destinations.open(spec.destination()).storedState(spec.name(), spec.dataset());
    }

    private static CursorValue lastValue(PipelineState state, String resource) {
        return state.cursor(resource).orElseThrow().lastValue();
    }

    private static void write(Path directory, String... lines) throws IOException {
        Files.writeString(directory.resolve("items.jsonl"), String.join("\n", lines) + "\n");
    }

    private static String item(int id, String updated, String name) {
        return "{\"id\": " + id + ", \"updated_at\": \"" + updated + "\", \"name\": \"" + name + "\"}";
    }

    /**
     * Three runs over a growing source whose items change: each run loads the items updated since the last one (the
     * ones loaded at the last value itself excepted), and the stored cursor follows.
     */
    private void threeRuns(String name, String disposition, Target target, List<List<String>> expected) throws Exception {
        Path directory = Files.createTempDirectory(name);
        PipelineSpec spec = spec(name, directory, "write_disposition: " + disposition + ", primary_key: [id],"
                + " incremental: { cursor_path: updated_at, initial_value: \"2024-05-01T00:00:00Z\" }", target);
        write(directory, item(0, "2024-04-30T09:00:00Z", "too early"), item(1, "2024-05-01T10:00:00Z", "one"),
                item(2, "2024-05-01T11:00:00Z", "two"));
        Ended first = completed(spec);
        assertEquals(2, first.table("items").rows());
        assertEquals(1, first.table("items").filteredRecords(), "before the initial value");

        write(directory, item(0, "2024-04-30T09:00:00Z", "too early"), item(1, "2024-05-01T10:00:00Z", "one"),
                item(2, "2024-05-01T11:00:00Z", "two"), item(3, "2024-05-01T11:00:00Z", "three"),
                item(1, "2024-05-01T12:00:00+02:00", "one at ten UTC"), item(1, "2024-05-01T12:00:00Z", "one again"));
        Ended second = completed(spec);
        assertEquals(List.of(2L, 4L), List.of(second.table("items").rows(), second.table("items").filteredRecords()),
                "3 and one's update at noon UTC load; 0, 1 and one at ten UTC are before the start, 2 was loaded at it");
        assertTrue(second.log().stream().anyMatch(line -> line.contains("4 item(s) outside the incremental window skipped, 1 of them"
                + " loaded before at its start")), second.log().toString());

        write(directory, item(1, "2024-05-01T12:00:00Z", "one again"), "{\"id\": 5, \"name\": \"no cursor\"}",
                item(4, "2024-05-02T08:00:00Z", "four"));
        Ended third = completed(spec);
        assertEquals(1, third.table("items").rows());
        assertEquals(1, third.table("items").rejectedRecords(), "an item without its cursor is a bad record");
        assertTrue(third.log().stream().anyMatch(line -> line.startsWith("WARN") && line.contains("items.jsonl:2")
                && line.contains("no incremental cursor value at 'updated_at'")), third.log().toString());

        assertEquals(expected, target.query().apply("SELECT id, name FROM raw.items ORDER BY id, name"));
        PipelineState state = state(spec);
        assertEquals(CursorValue.parse("2024-05-02T08:00:00Z"), lastValue(state, "items"));
        assertEquals(1, state.cursor("items").orElseThrow().boundaryKeys().size());
        assertEquals(3, target.count("SELECT count(*) FROM raw._sluice_pipeline_state WHERE pipeline = '" + name + "'"));
    }

    @Test
    void appendLoadsEachChangeOnceAcrossRuns() throws Exception {
        threeRuns("incremental-append", "append", duckdb("append.duckdb"), List.of(List.of("1", "one"), List.of("1", "one again"),
                List.of("2", "two"), List.of("3", "three"), List.of("4", "four")));
    }

    @Test
    void mergeKeepsTheLatestVersionOfEachItem() throws Exception {
        threeRuns("incremental-merge", "merge", duckdb("merge.duckdb"), List.of(List.of("1", "one again"), List.of("2", "two"),
                List.of("3", "three"), List.of("4", "four")));
    }

    @Test
    void stateIsStoredInPostgresToo() throws Exception {
        threeRuns("incremental-postgres", "merge", postgres(), List.of(List.of("1", "one again"), List.of("2", "two"),
                List.of("3", "three"), List.of("4", "four")));
    }

    @Test
    void aLagReloadsLateChangesAndABackfillLeavesTheCursor() throws Exception {
        Path directory = Files.createTempDirectory("lag");
        Target target = duckdb("lag.duckdb");
        PipelineSpec spec = spec("incremental-lag", directory, "write_disposition: merge, primary_key: [id],"
                + " incremental: { cursor_path: version, lag: \"2\" }", target);
        write(directory, IntStream.rangeClosed(1, 5).mapToObj(id -> "{\"id\": " + id + ", \"version\": " + id + "}").toArray(String[]::new));
        completed(spec);

        write(directory, "{\"id\": 1, \"version\": 1}", "{\"id\": 2, \"version\": 2, \"late\": true}", "{\"id\": 3, \"version\": 4}",
                "{\"id\": 5, \"version\": 5}", "{\"id\": 6, \"version\": 6}");
        Ended lagged = completed(spec);
        assertEquals(2, lagged.table("items").rows(), "3 changed within the lag and 6 is new; 5 was loaded at the last value");
        assertEquals(List.of(List.of("1", "1"), List.of("2", "2"), List.of("3", "4"), List.of("4", "4"), List.of("5", "5"),
                List.of("6", "6")), target.query().apply("SELECT id, version FROM raw.items ORDER BY id"));
        assertEquals(CursorValue.parse("6"), lastValue(state(spec), "items"));

        PipelineState before = state(spec);
        PipelineSpec backfill = spec("incremental-lag", directory, "write_disposition: merge, primary_key: [id],"
                + " incremental: { cursor_path: version, initial_value: \"1\", end_value: \"3\" }", target);
        write(directory, "{\"id\": 1, \"version\": 1, \"name\": \"backfilled\"}", "{\"id\": 2, \"version\": 2, \"name\": \"backfilled\"}",
                "{\"id\": 3, \"version\": 3, \"name\": \"not in the window\"}");
        Ended backfilled = completed(backfill);
        assertEquals(2, backfilled.table("items").rows());
        assertTrue(backfilled.log().stream().anyMatch(line -> line.contains("from 1 to 3 (backfill: the stored cursor stays)")),
                backfilled.log().toString());
        assertEquals(before, state(spec), "a backfill does not touch the stored cursor");
        assertEquals(List.of(List.of("1", "backfilled"), List.of("2", "backfilled"), List.of("3", "null")),
                target.query().apply("SELECT id, name FROM raw.items WHERE id <= 3 ORDER BY id"));
    }

    @Test
    void minAndARowOrderStopReadingWhereItemsLeaveTheWindow() throws Exception {
        Path directory = Files.createTempDirectory("min");
        Target target = duckdb("min.duckdb");
        PipelineSpec spec = spec("incremental-min", directory, "incremental: { cursor_path: day, initial_value: \"2024-05-10\","
                + " last_value_function: min, row_order: asc }", target);
        write(directory, "{\"id\": 3, \"day\": \"2024-05-08\"}", "{\"id\": 2, \"day\": \"2024-05-10\"}",
                "{\"id\": 1, \"day\": \"2024-05-11\"}", "not JSON: never read");
        Ended first = completed(spec);
        assertEquals(List.of(2L, 1L, 0L), List.of(first.table("items").rows(), first.table("items").filteredRecords(),
                first.table("items").rejectedRecords()), "ascending, 1 is above a MIN window's start: the reading stops there");
        assertEquals(CursorValue.parse("2024-05-08"), lastValue(state(spec), "items"));

        write(directory, "{\"id\": 4, \"day\": \"2024-05-07\"}", "{\"id\": 3, \"day\": \"2024-05-08\"}",
                "{\"id\": 5, \"day\": \"2024-05-09\"}", "not JSON: never read");
        Ended second = completed(spec);
        assertEquals(1, second.table("items").rows(), "4 is new below the cursor; 3 was loaded at it; 5 is above and ends the reading");
        assertEquals(0, second.table("items").rejectedRecords(), "the line after the window was never read");
        assertEquals(List.of(List.of("2"), List.of("3"), List.of("4")),
                target.query().apply("SELECT id FROM raw.items ORDER BY id"));
        assertEquals(CursorValue.parse("2024-05-07"), lastValue(state(spec), "items"));
    }

    @Test
    void aFailedLoadLeavesTheStateAsItWas() throws Exception {
        Path directory = Files.createTempDirectory("failed");
        Target target = duckdb("failed.duckdb");
        PipelineSpec spec = PipelineSpecs.toSpec(SpecReader.parse("""
                name: incremental-failed
                source:
                  filesystem:
                    base_path: "%s"
                    resources:
                      - { name: items, glob: "items.jsonl", incremental: { cursor_path: id } }
                      - { name: strict, glob: "strict.jsonl", columns: [ { name: id, nullable: false } ] }
                destination: %s
                """.formatted(directory, target.destinationYaml()), ""), "");
        write(directory, "{\"id\": 1}");
        Files.writeString(directory.resolve("strict.jsonl"), "{\"id\": 1}\n");
        completed(spec);
        PipelineState before = state(spec);

        Files.writeString(directory.resolve("items.jsonl"), "{\"id\": 2}\n", StandardOpenOption.APPEND);
        Files.writeString(directory.resolve("strict.jsonl"), "{\"other\": 1}\n");
        assertEquals(RunState.FAILED, run(spec).run().state());
        assertEquals(before, state(spec), "the cursor did not move without its data");
        assertEquals(CursorValue.parse("1"), lastValue(before, "items"));
        assertEquals(1, target.count("SELECT count(*) FROM raw.items"));
    }

    @Test
    void stateKeepsOnlyTheLastVersions() throws Exception {
        Path directory = Files.createTempDirectory("pruned");
        Target target = duckdb("pruned.duckdb");
        PipelineSpec spec = spec("incremental-pruned", directory, "incremental: { cursor_path: id }", target);
        for (int id = 1; id <= PipelineStateTable.KEPT_VERSIONS + 2; id++) {
            Files.writeString(directory.resolve("items.jsonl"), "{\"id\": " + id + "}\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            completed(spec);
        }
        assertEquals(List.of(List.of(String.valueOf(PipelineStateTable.KEPT_VERSIONS), "3", "7")), target.query().apply(
                "SELECT count(*), min(version), max(version) FROM raw._sluice_pipeline_state"));
        assertEquals(PipelineStateTable.KEPT_VERSIONS + 2, target.count("SELECT count(*) FROM raw.items"));
        completed(spec);
        assertEquals(7, target.count("SELECT max(version) FROM raw._sluice_pipeline_state"), "an unchanged state is not stored again");
    }

    @Test
    void aRefreshDropsAndRecreatesPostgresTablesInTheLoadsTransaction() throws Exception {
        Path directory = Files.createTempDirectory("pg-refresh");
        Target target = postgres();
        PipelineSpec spec = spec("incremental-pg-refresh", directory, "incremental: { cursor_path: id }", target);
        write(directory, "{\"id\": 1, \"amount\": 10, \"tags\": [\"a\"]}", "{\"id\": 2, \"amount\": 20}");
        completed(spec);

        write(directory, "{\"id\": 1, \"amount\": \"ten\"}", "{\"id\": 2, \"amount\": \"twenty\"}");
        Run refreshed = EndedRun.watch(executor, executor.start(spec, "", Trigger.CLI,
                Optional.of(new Refresh(Refresh.Mode.DROP_RESOURCES, List.of("items"))))).run();
        assertEquals(RunState.COMPLETED, refreshed.state(), refreshed.error());
        assertEquals(List.of(List.of("1", "ten"), List.of("2", "twenty")), target.query().apply(
                "SELECT id, amount FROM raw.items ORDER BY id"), "loaded again from the start, into a table made anew");
        assertEquals(List.of(List.of("text")), target.query().apply("SELECT string_agg(data_type, ',') FROM information_schema.columns"
                + " WHERE table_schema = 'raw_incremental' AND table_name = 'items' AND column_name LIKE 'amount%'"));
        assertEquals(0, target.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw_incremental'"
                + " AND table_name = 'items__tags'"), "the nested table went with its resource");
        assertEquals(CursorValue.parse("2"), lastValue(state(spec), "items"));
    }

    @Test
    void twoPipelinesIntoOneDuckDbDatasetKeepTheirOwnState() throws Exception {
        twoPipelinesAtOnce("duck", duckdb("shared.duckdb"));
    }

    @Test
    void twoPipelinesIntoOnePostgresDatasetKeepTheirOwnState() throws Exception {
        twoPipelinesAtOnce("pg", postgres());
    }

    /** Pipelines alpha and beta load one dataset at the same time, round after round; neither clobbers the other. */
    private void twoPipelinesAtOnce(String prefix, Target target) throws Exception {
        Map<String, PipelineSpec> specs = new java.util.LinkedHashMap<>();
        Map<String, Path> inputs = new java.util.LinkedHashMap<>();
        for (String name : List.of("alpha", "beta")) {
            Path directory = Files.createTempDirectory(name);
            inputs.put(name, directory);
            specs.put(name, spec(prefix + "-" + name, directory, "table_name: " + name + "_items, incremental: { cursor_path: id }",
                    target));
        }
        int rounds = 8;
        int perRound = 50;
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, Path> input : inputs.entrySet()) {
                int offset = input.getKey().equals("alpha") ? 0 : 100_000;
                String lines = IntStream.range(round * perRound, (round + 1) * perRound)
                        .mapToObj(id -> "{\"id\": " + (offset + id) + "}\n").collect(Collectors.joining());
                Files.writeString(input.getValue().resolve("items.jsonl"), lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            List<Run> started = specs.values().stream().map(spec -> executor.start(spec, "", Trigger.CLI)).toList();
            for (Run run : started) {
                Run ended = EndedRun.watch(executor, run).run();
                assertEquals(RunState.COMPLETED, ended.state(), ended.error());
            }
        }
        int total = rounds * perRound;
        assertEquals(List.of(List.of(String.valueOf(total), String.valueOf(total), "0", String.valueOf(total - 1))), target.query()
                .apply("SELECT count(*), count(DISTINCT id), min(id), max(id) FROM raw.alpha_items"));
        assertEquals(List.of(List.of(String.valueOf(total), String.valueOf(total), "100000", String.valueOf(100_000 + total - 1))),
                target.query().apply("SELECT count(*), count(DISTINCT id), min(id), max(id) FROM raw.beta_items"));
        assertEquals(CursorValue.parse(String.valueOf(total - 1)), lastValue(state(specs.get("alpha")), "items"));
        assertEquals(CursorValue.parse(String.valueOf(100_000 + total - 1)), lastValue(state(specs.get("beta")), "items"));
        assertEquals(List.of(List.of(prefix + "-alpha", String.valueOf(rounds)), List.of(prefix + "-beta", String.valueOf(rounds))),
                target.query().apply("SELECT pipeline, max(version) FROM raw._sluice_pipeline_state GROUP BY pipeline ORDER BY pipeline"));
    }
}
