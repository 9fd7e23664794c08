package io.sluice.load;

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
import io.sluice.runs.RunExecutor;
import io.sluice.runs.SluiceConfig;
import io.sluice.testing.EndedRun;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.PostgresPassword;
import io.sluice.testing.PostgresServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every REPLACE strategy, into DuckDB and into PostgreSQL, across three runs: the table and its nested table hold
 * exactly the last run's rows, also when the last run brings no nested rows and fewer columns.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
@QuarkusTestResource(PostgresPassword.class)
class ReplaceStrategiesTest {
    private static final String SECRET = PostgresPassword.SECRET;

    @Inject
    RunExecutor executor;

    @Inject
    SluiceConfig config;

    private record Target(String destination, Function<String, List<List<String>>> rows) {
    }

    private Target target(String kind, String dataset) {
        return switch (kind) {
            case "duckdb" -> {
                Path database = config.dataDir().resolve(dataset + "_file.duckdb");
                yield new Target("{ duckdb: { path: " + database + " }, dataset: " + dataset + " }",
                        sql -> DuckDbQueries.rows(database, sql));
            }
            case "postgres" -> {
                PostgresServer.dropDataset(dataset);
                yield new Target(PostgresServer.destination(SECRET, dataset), PostgresServer::rows);
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{1} into {0}")
    @CsvSource({
            "duckdb, TRUNCATE_AND_INSERT", "duckdb, INSERT_FROM_STAGING", "duckdb, STAGING_OPTIMIZED",
            "postgres, TRUNCATE_AND_INSERT", "postgres, INSERT_FROM_STAGING", "postgres, STAGING_OPTIMIZED"})
    void eachRunLeavesExactlyItsOwnRows(String kind, String strategy) throws Exception {
        String dataset = "replace_" + kind + "_" + strategy.toLowerCase(Locale.ROOT);
        Target target = target(kind, dataset);
        Path directory = Files.createTempDirectory(dataset);
        PipelineSpec spec = spec(dataset, directory, target, "write_disposition: replace, replace_strategy: " + strategy
                + ", columns: [ { name: id, nullable: false } ]");

        Files.writeString(directory.resolve("items.jsonl"), """
                {"id": 1, "name": "one", "tags": ["a", "b"]}
                {"id": 2, "name": "two", "tags": ["c"]}
                """);
        assertCompleted(run(spec));
        Files.writeString(directory.resolve("items.jsonl"), """
                {"id": 3, "name": "three", "tags": ["d"], "extra": true}
                """);
        assertCompleted(run(spec));
        assertEquals(List.of(List.of("3", "three", "1")), target.rows().apply("SELECT id, name, CAST(extra AS INTEGER) FROM " + dataset + ".items"));
        assertEquals(List.of(List.of("3", "d")), target.rows().apply("SELECT i.id, t.value FROM " + dataset + ".items__tags t JOIN "
                + dataset + ".items i ON t._sluice_parent_id = i._sluice_id"));

        Files.writeString(directory.resolve("items.jsonl"), """
                {"id": 4, "name": "four"}
                {"id": 5, "name": "five"}
                """);
        assertCompleted(run(spec));
        assertEquals(List.of(List.of("4", "four", "null"), List.of("5", "five", "null")),
                target.rows().apply("SELECT id, name, CAST(extra AS INTEGER) FROM " + dataset + ".items ORDER BY id"),
                "a column of an earlier run stays in the table");
        assertEquals(List.of(List.of("0")), target.rows().apply("SELECT count(*) FROM " + dataset + ".items__tags"),
                "a nested table the last run has no rows for is emptied too");
        assertEquals(List.of(List.of("3")), target.rows().apply("SELECT count(*) FROM " + dataset + "._sluice_loads"));
        assertEquals(List.of(List.of("NO")), target.rows().apply("SELECT is_nullable FROM information_schema.columns WHERE table_schema = '"
                + dataset + "' AND table_name = 'items' AND column_name = 'id'"), "a declared NOT NULL survives the replace");
    }

    /** Deleting in the commit takes no lock a reader holds: a long reading transaction does not hold the load up. */
    @Test
    void insertFromStagingNeverWaitsForPostgresReaders() throws Exception {
        String dataset = "replace_postgres_readers";
        Target target = target("postgres", dataset);
        Path directory = Files.createTempDirectory(dataset);
        Files.writeString(directory.resolve("items.jsonl"), "{\"id\": 1}\n");
        PipelineSpec spec = spec(dataset, directory, target, "write_disposition: replace, replace_strategy: insert_from_staging");
        assertCompleted(run(spec));
        try (Connection reader = PostgresServer.connect(); Statement statement = reader.createStatement()) {
            reader.setAutoCommit(false);
            statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            statement.executeQuery("SELECT count(*) FROM " + dataset + ".items").close();
            Files.writeString(directory.resolve("items.jsonl"), "{\"id\": 2}\n{\"id\": 3}\n");
            assertCompleted(run(spec));
            try (var result = statement.executeQuery("SELECT id FROM " + dataset + ".items")) {
                assertTrue(result.next(), "the reader's snapshot still has a row");
                assertEquals(1, result.getInt(1), "the reader's snapshot still shows the replaced rows");
            }
            reader.rollback();
        }
        assertEquals(List.of(List.of("2"), List.of("3")), target.rows().apply("SELECT id FROM " + dataset + ".items ORDER BY id"));
    }

    private static PipelineSpec spec(String dataset, Path directory, Target target, String options) {
        String name = dataset.replace('_', '-');
        return PipelineSpecs.toSpec(SpecReader.parse("""
                name: %s
                source: { filesystem: { base_path: "%s", resources: [ { name: items, glob: "items.jsonl", %s } ] } }
                destination: %s
                """.formatted(name, directory, options, target.destination()), name), name);
    }

    private Run run(PipelineSpec spec) throws InterruptedException {
        return EndedRun.watch(executor, executor.start(spec, "", Trigger.CLI)).run();
    }

    private static void assertCompleted(Run run) {
        assertEquals(RunState.COMPLETED, run.state(), run.error());
    }
}
