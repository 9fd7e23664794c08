package io.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.sluice.schema.Schema;
import io.sluice.schema.TableSchema;
import io.sluice.testing.Await;
import io.sluice.testing.EndedRun;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.PostgresPassword;
import io.sluice.testing.PostgresServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Runs load into a real PostgreSQL server, checked by querying it; each test has a dataset (schema) of its own. */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
@QuarkusTestResource(PostgresPassword.class)
class PostgresDestinationTest {
    private static final String SECRET = PostgresPassword.SECRET;
    private static final String WRONG_SECRET = PostgresPassword.WRONG_SECRET;
    private static final String WRONG_PASSWORD = PostgresPassword.WRONG_PASSWORD;

    @Inject
    RunExecutor executor;

    @Inject
    Destinations destinations;

    @Inject
    SluiceConfig config;

    /** A pipeline named like its dataset, loading into the test server with the password from {@link #SECRET}. */
    private static PipelineSpec spec(String dataset, String resources) {
        return spec(dataset, resources, SECRET);
    }

    private static PipelineSpec spec(String dataset, String resources, String passwordSecret) {
        String name = dataset.replace('_', '-');
        return PipelineSpecs.toSpec(SpecReader.parse("""
                name: %s
                source:
                  filesystem:
                    %s
                destination: %s
                """.formatted(name, resources, PostgresServer.destination(passwordSecret, dataset)), name), name);
    }

    /** One resource {@code items} over {@code items.jsonl} in {@code directory}, with extra YAML flow-style keys. */
    private static String items(Path directory, String options) {
        return "base_path: \"%s\"\n    resources: [ { name: items, glob: \"items.jsonl\"%s } ]"
                .formatted(directory, options.isEmpty() ? "" : ", " + options);
    }

    private Run run(PipelineSpec spec) throws InterruptedException {
        return run(spec, new ArrayList<>());
    }

    /** Runs {@code spec} to its end, adding the log lines it published to {@code logLines}. */
    private Run run(PipelineSpec spec, List<String> logLines) throws InterruptedException {
        EndedRun ended = EndedRun.watch(executor, executor.start(spec, "", Trigger.CLI));
        logLines.addAll(ended.messages());
        return ended.run();
    }

    private Destination destination(PipelineSpec spec) {
        return destinations.open(spec.destination());
    }

    private static List<List<String>> columns(String dataset, String table) {
        return PostgresServer.rows("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '" + dataset
                + "' AND table_name = '" + table + "' ORDER BY ordinal_position");
    }

    private static long stagingTables(String dataset) {
        return PostgresServer.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + dataset + "_staging'");
    }

    @Test
    void mergeAndReplaceWorkInPostgresToo() throws Exception {
        String dataset = "pgtest_dispositions";
        PostgresServer.dropDataset(dataset);
        Path directory = Files.createTempDirectory("pg-merge");
        PipelineSpec merging = spec(dataset, items(directory, "write_disposition: merge, primary_key: [id]"));
        Files.writeString(directory.resolve("items.jsonl"), "{\"id\": 1, \"name\": \"one\", \"tags\": [\"a\"]}\n"
                + "{\"id\": 2, \"name\": \"two\", \"tags\": [\"b\", \"c\"]}\n");
        assertEquals(RunState.COMPLETED, run(merging).state());
        Files.writeString(directory.resolve("items.jsonl"), "{\"id\": 2, \"name\": \"two again\", \"tags\": [\"d\"]}\n"
                + "{\"id\": 3, \"name\": \"three\"}\n{\"id\": 3, \"name\": \"three twice\"}\n");
        Run merged = run(merging);
        assertEquals(RunState.COMPLETED, merged.state(), merged.error());
        assertEquals(List.of(List.of("1", "one"), List.of("2", "two again")), PostgresServer.rows(
                "SELECT id, name FROM pgtest_dispositions.items WHERE id < 3 ORDER BY id"));
        assertEquals(1, PostgresServer.count("SELECT count(*) FROM pgtest_dispositions.items WHERE id = 3"));
        assertEquals(List.of(List.of("1", "a"), List.of("2", "d")), PostgresServer.rows("SELECT i.id, t.value FROM"
                + " pgtest_dispositions.items__tags t JOIN pgtest_dispositions.items i ON t._sluice_root_id = i._sluice_id"
                + " ORDER BY i.id, t.value"));
        assertEquals(2, PostgresServer.count("SELECT count(*) FROM pgtest_dispositions.items__tags"), "no orphaned nested rows");

        PipelineSpec replacing = spec(dataset, items(directory, "write_disposition: replace"));
        Files.writeString(directory.resolve("items.jsonl"), "{\"id\": 9, \"name\": \"nine\"}\n");
        assertEquals(RunState.COMPLETED, run(replacing).state());
        assertEquals(List.of(List.of("9")), PostgresServer.rows("SELECT id FROM pgtest_dispositions.items"));
        assertEquals(0, PostgresServer.count("SELECT count(*) FROM pgtest_dispositions.items__tags"));
    }

    /** Deleting in the commit takes no lock a reader holds: a long reading transaction does not hold the load up. */
    @Test
    void insertFromStagingNeverWaitsForPostgresReaders() throws Exception {
        String dataset = "replace_postgres_readers";
        PostgresServer.dropDataset(dataset);
        Path directory = Files.createTempDirectory(dataset);
        Files.writeString(directory.resolve("items.jsonl"), "{\"id\": 1}\n");
        PipelineSpec spec = spec(dataset, items(directory, "write_disposition: replace, replace_strategy: insert_from_staging"));
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
        assertEquals(List.of(List.of("2"), List.of("3")), PostgresServer.rows("SELECT id FROM " + dataset + ".items ORDER BY id"));
    }

    private static void assertCompleted(Run run) {
        assertEquals(RunState.COMPLETED, run.state(), run.error());
    }

    @Test
    void bundledSamplesLoadWithTheirTypes() throws Exception {
        String dataset = "pgtest_samples";
        PostgresServer.dropDataset(dataset);
        PipelineSpec spec = spec(dataset, """
                base_path: deploy/samples
                    resources:
                      - { name: events, glob: "events/*.jsonl" }
                      - { name: customers, glob: "customers.csv" }""");
        Run run = run(spec);
        assertEquals(RunState.COMPLETED, run.state(), run.error());

        assertEquals(18_000, PostgresServer.count("SELECT count(*) FROM pgtest_samples.events"));
        assertEquals(18_189, PostgresServer.count("SELECT count(*) FROM pgtest_samples.events__tags"));
        assertEquals(5_000, PostgresServer.count("SELECT count(*) FROM pgtest_samples.customers"));
        assertEquals(Map.of("event_id", "bigint", "occurred_at", "timestamp with time zone", "is_mobile", "boolean",
                        "page__path", "text", "amount", "double precision", "_sluice_load_id", "character varying"),
                columns(dataset, "events").stream().filter(column -> List.of("event_id", "occurred_at", "is_mobile", "page__path",
                        "amount", "_sluice_load_id").contains(column.getFirst()))
                        .collect(Collectors.toMap(List::getFirst, List::getLast)));
        assertEquals(List.of(List.of("customer_id", "bigint"), List.of("full_name", "text"), List.of("country", "text"),
                        List.of("plan", "text"), List.of("monthly_spend", "double precision"), List.of("active", "boolean"),
                        List.of("signed_up_at", "timestamp with time zone")),
                columns(dataset, "customers").stream().filter(column -> !column.getFirst().startsWith("_sluice")).toList());
        assertEquals(List.of(List.of("3196.9", "t", "2024-04-17 23:04:00+00")), PostgresServer.rows(
                "SELECT monthly_spend, active, signed_up_at FROM pgtest_samples.customers WHERE customer_id = 2"));
        assertEquals(List.of(List.of("0")), PostgresServer.rows("SELECT count(*) FROM pgtest_samples.events__tags t"
                + " LEFT JOIN pgtest_samples.events e ON t._sluice_parent_id = e._sluice_id WHERE e._sluice_id IS NULL"),
                "every tag row has its event");

        List<List<String>> loads = PostgresServer.rows("SELECT load_id, pipeline, status, rows FROM pgtest_samples._sluice_loads");
        assertEquals(List.of(List.of(run.summary().orElseThrow().loadId(), "pgtest-samples", "0", "41189")), loads);
        assertEquals(1, PostgresServer.count("SELECT count(DISTINCT _sluice_load_id) FROM pgtest_samples.events"));
        assertEquals(0, stagingTables(dataset), "staging tables go with the transaction that used them");

        Destination destination = destination(spec);
        Schema stored = destination.storedSchema("pgtest-samples", dataset);
        assertEquals(1, stored.version());
        assertEquals(Set.of("events", "events__tags", "customers"),
                stored.tables().stream().map(TableSchema::name).collect(Collectors.toSet()));
        assertEquals(List.of(1L), destination.schemaHistory("pgtest-samples", dataset).stream().map(SchemaVersionRecord::version).toList());
        TablePreview preview = destination.preview(dataset, "customers", 3);
        assertEquals(3, preview.rows().size());
        assertTrue(preview.columns().containsAll(List.of("customer_id", "full_name", "_sluice_load_id")), preview.columns().toString());
    }

    @Test
    void schemaEvolvesAcrossRunsAndEachVersionIsStored() throws Exception {
        String dataset = "pgtest_evolution";
        PostgresServer.dropDataset(dataset);
        Path directory = Files.createTempDirectory(dataset);
        PipelineSpec spec = spec(dataset, items(directory, "detect: [ISO_TIMESTAMP, ISO_DATE]"));

        write(directory, "{\"id\": 1, \"amount\": 10, \"day\": \"2024-05-01\"}");
        assertEquals(RunState.COMPLETED, run(spec).state());
        write(directory, "{\"id\": 2, \"amount\": 2.5, \"day\": \"2024-05-02T10:00:00Z\", \"note\": \"new\"}");
        assertEquals(RunState.COMPLETED, run(spec).state());
        write(directory, "{\"id\": 3, \"amount\": \"n/a\"}");
        Run third = run(spec);
        assertEquals(RunState.COMPLETED, third.state(), third.error());

        assertEquals(List.of(List.of("_sluice_id", "text"), List.of("id", "bigint"), List.of("amount", "double precision"),
                List.of("day", "timestamp with time zone"), List.of("_sluice_load_id", "character varying"), List.of("note", "text"),
                List.of("amount__v_text", "text")), columns(dataset, "items"));
        assertEquals(List.of(List.of("1", "10", "2024-05-01 00:00:00+00", "null", "null"),
                        List.of("2", "2.5", "2024-05-02 10:00:00+00", "new", "null"),
                        List.of("3", "null", "null", "null", "n/a")),
                PostgresServer.rows("SELECT id, amount, day, note, amount__v_text FROM pgtest_evolution.items ORDER BY id"));
        assertEquals(List.of(List.of("1"), List.of("2"), List.of("3")),
                PostgresServer.rows("SELECT version FROM pgtest_evolution._sluice_version ORDER BY version"));
        Destination destination = destination(spec);
        assertEquals(List.of(3L, 2L, 1L), destination.schemaHistory("pgtest-evolution", dataset).stream()
                .map(SchemaVersionRecord::version).toList());
        assertEquals(third.summary().orElseThrow().loadId(), destination.schemaHistory("pgtest-evolution", dataset).getFirst().loadId());
        assertTrue(destination.storedSchema("pgtest-evolution", dataset).table("items").orElseThrow().columns().stream()
                .anyMatch(column -> column.name().equals("amount__v_text") && column.variantOf().equals(Optional.of("amount"))), "the stored schema has amount__v_text, a variant of amount: " + destination.storedSchema("pgtest-evolution", dataset).table("items").orElseThrow().columns());

        write(directory, "{\"id\": 4, \"amount\": 4}");
        assertEquals(RunState.COMPLETED, run(spec).state());
        assertEquals(3, PostgresServer.count("SELECT max(version) FROM pgtest_evolution._sluice_version"),
                "an unchanged schema stores no new version");
        assertEquals(4, PostgresServer.count("SELECT count(*) FROM pgtest_evolution._sluice_loads"));
    }

    @Test
    void everyTypeMapsAndBytesRoundTrip() throws Exception {
        String dataset = "pgtest_types";
        PostgresServer.dropDataset(dataset);
        Path directory = Files.createTempDirectory(dataset);
        PipelineSpec spec = spec(dataset, items(directory, "max_nesting_depth: 0, columns: [ {name: price, data_type: DECIMAL, precision: 10, scale: 2},"
                + " {name: total, data_type: DECIMAL}, {name: day, data_type: DATE}, {name: at, data_type: TIME},"
                + " {name: photo, data_type: BINARY}, {name: id, nullable: false} ]"));
        write(directory,
                "{\"id\": 1, \"ok\": true, \"ratio\": 0.5, \"price\": 9.99, \"total\": 12, \"name\": \"Ann \\\"A\\\", Kraków\","
                        + " \"paid_at\": \"2024-05-01T10:00:00+02:00\", \"day\": \"2024-05-01\", \"at\": \"10:15:00\","
                        + " \"meta\": {\"a\": [1, 2]}, \"photo\": \"AQID/w==\"}",
                "{\"id\": 2, \"name\": \"\", \"photo\": \"\"}",
                "{\"id\": 3}");
        Run run = run(spec);
        assertEquals(RunState.COMPLETED, run.state(), run.error());

        Map<String, String> types = columns(dataset, "items").stream().collect(Collectors.toMap(List::getFirst, List::getLast));
        assertEquals(Map.ofEntries(Map.entry("id", "bigint"), Map.entry("ok", "boolean"), Map.entry("ratio", "double precision"),
                Map.entry("price", "numeric"), Map.entry("total", "numeric"), Map.entry("name", "text"),
                Map.entry("paid_at", "timestamp with time zone"), Map.entry("day", "date"), Map.entry("at", "time without time zone"),
                Map.entry("meta", "jsonb"), Map.entry("photo", "bytea"), Map.entry("_sluice_id", "text"),
                Map.entry("_sluice_load_id", "character varying")), types);
        assertEquals(List.of(List.of("10", "2", "38", "9")), PostgresServer.rows("SELECT p.numeric_precision, p.numeric_scale,"
                + " t.numeric_precision, t.numeric_scale FROM information_schema.columns p, information_schema.columns t"
                + " WHERE p.table_schema = 'pgtest_types' AND p.table_name = 'items' AND p.column_name = 'price'"
                + " AND t.table_schema = 'pgtest_types' AND t.table_name = 'items' AND t.column_name = 'total'"));
        assertEquals(List.of(List.of("NO", "YES")), PostgresServer.rows("SELECT i.is_nullable, n.is_nullable"
                + " FROM information_schema.columns i, information_schema.columns n WHERE i.table_schema = 'pgtest_types'"
                + " AND i.column_name = 'id' AND n.table_schema = 'pgtest_types' AND n.column_name = 'name'"));
        assertEquals(List.of(
                        List.of("1", "t", "0.5", "9.99", "12.000000000", "Ann \"A\", Kraków", "2024-05-01 08:00:00+00", "2024-05-01",
                                "10:15:00", "[1, 2]", "010203ff"),
                        List.of("2", "null", "null", "null", "null", "", "null", "null", "null", "null", ""),
                        List.of("3", "null", "null", "null", "null", "null", "null", "null", "null", "null", "null")),
                PostgresServer.rows("SELECT id, ok, ratio, price, total, name, paid_at, day, at, meta -> 'a', encode(photo, 'hex')"
                        + " FROM pgtest_types.items ORDER BY id"),
                "an empty string and an empty byte string stay apart from NULL");
    }

    @Test
    void aFailedLoadCommitsNothing() throws Exception {
        String dataset = "pgtest_failed";
        PostgresServer.dropDataset(dataset);
        Path directory = Files.createTempDirectory(dataset);
        Files.writeString(directory.resolve("first.jsonl"), "{\"id\": 1}\n");
        PipelineSpec spec = spec(dataset, """
                base_path: "%s"
                    resources:
                      - { name: first, glob: "first.jsonl" }
                      - { name: second, glob: "second.jsonl", columns: [ {name: id, nullable: false} ] }""".formatted(directory));
        Files.writeString(directory.resolve("second.jsonl"), "{\"id\": 1}\n");
        assertEquals(RunState.COMPLETED, run(spec).state());

        Files.writeString(directory.resolve("second.jsonl"), "{\"id\": 2}\n{\"other\": true}\n");
        Run failed = run(spec);
        assertEquals(RunState.FAILED, failed.state());
        assertTrue(failed.error().contains("null value in column \"id\""), failed.error());
        assertEquals(List.of(List.of("1", "1")), PostgresServer.rows(
                "SELECT (SELECT count(*) FROM pgtest_failed.first), (SELECT count(*) FROM pgtest_failed.second)"),
                "the table loaded before the failure is rolled back too");
        assertEquals(List.of(List.of("1", "1")), PostgresServer.rows(
                "SELECT (SELECT count(*) FROM pgtest_failed._sluice_loads), (SELECT max(version) FROM pgtest_failed._sluice_version)"));
        assertEquals(List.of(), columns(dataset, "second").stream().filter(column -> column.getFirst().equals("other")).toList(),
                "the new column went with the transaction");
        try (var jobs = Files.list(Files.list(config.dataDir().resolve("packages").resolve(spec.name())).findFirst().orElseThrow()
                .resolve("completed_jobs"))) {
            assertEquals(jobs.count(), stagingTables(dataset), "the kept package's completed jobs stay staged for the run that resumes it");
        }
    }

    @Test
    void aResumedLoadDoesNotCopyItsCompletedJobsAgain() throws Exception {
        String dataset = "pgtest_resumed";
        PostgresServer.dropDataset(dataset);
        // A table in the way: its NOT NULL column fails the commit after every job completed.
        PostgresServer.execute("CREATE SCHEMA " + dataset);
        PostgresServer.execute("CREATE TABLE " + dataset + ".items (blocker INTEGER NOT NULL)");
        Path directory = Files.createTempDirectory(dataset);
        write(directory, "{\"id\": 1}", "{\"id\": 2}");
        PipelineSpec spec = spec(dataset, items(directory, ""));
        assertEquals(RunState.FAILED, run(spec).state());
        Path kept;
        try (var packages = Files.list(config.dataDir().resolve("packages").resolve(spec.name()))) {
            kept = packages.findFirst().orElseThrow();
        }
        // Their rows are staged already, so what the files of completed jobs hold now is never read again.
        try (var completed = Files.list(kept.resolve("completed_jobs"))) {
            for (Path job : completed.toList()) {
                Files.writeString(job, "not,the,staged,rows\n");
            }
        }
        PostgresServer.execute("DROP TABLE " + dataset + ".items");

        List<String> log = new ArrayList<>();
        Run resumed = run(spec, log);
        assertEquals(RunState.COMPLETED, resumed.state(), resumed.error());
        assertTrue(log.stream().anyMatch(line -> line.startsWith("resuming load " + kept.getFileName())), log.toString());
        assertEquals(List.of(List.of("1", "2"), List.of("2", "2")), PostgresServer.rows("SELECT id, count(*) FROM " + dataset
                + ".items GROUP BY id ORDER BY id"), "the resumed load's rows and this run's, each once");
        assertEquals(0, stagingTables(dataset));
    }

    /**
     * The commit copies the job straight into its table; a COPY that fails part-way (a trigger refuses a row) takes
     * back every row it copied, and the package's job is new again: the next run copies it once, then loads its own.
     */
    @Test
    void aCopyThatFailsPartWayLeavesTheTableAndTheResumedLoadCopiesItOnce() throws Exception {
        String dataset = "pgtest_copy_failed";
        PostgresServer.dropDataset(dataset);
        Path directory = Files.createTempDirectory(dataset);
        write(directory, "{\"id\": 1}", "{\"id\": 2}");
        PipelineSpec spec = spec(dataset, items(directory, ""));
        assertCompleted(run(spec));
        assertEquals(1, PostgresServer.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + dataset
                + "' AND column_name = '_sluice_load_id' AND column_default LIKE '%sluice.load_id%'"),
                "the load id comes from the commit's setting: the rows were copied straight into their table");
        PostgresServer.execute("CREATE FUNCTION " + dataset + ".refuse() RETURNS trigger LANGUAGE plpgsql AS"
                + " 'BEGIN RAISE EXCEPTION ''refused %'', NEW.id; END'");
        PostgresServer.execute("CREATE TRIGGER refuse BEFORE INSERT ON " + dataset + ".items FOR EACH ROW WHEN (NEW.id = 15000)"
                + " EXECUTE FUNCTION " + dataset + ".refuse()");
        write(directory, IntStream.rangeClosed(1, 20_000).mapToObj(id -> "{\"id\": " + id + "}").toArray(String[]::new));

        Run failed = run(spec);
        assertEquals(RunState.FAILED, failed.state());
        assertTrue(failed.error().contains("refused 15000"), failed.error());
        assertEquals(2, PostgresServer.count("SELECT count(*) FROM " + dataset + ".items"), "the rows copied before the failure went");
        Path kept;
        try (var packages = Files.list(config.dataDir().resolve("packages").resolve(spec.name()))) {
            kept = packages.findFirst().orElseThrow();
        }
        try (var completed = Files.list(kept.resolve("completed_jobs")); var fresh = Files.list(kept.resolve("new_jobs"))) {
            assertEquals(0, completed.count(), "no job outlived the commit that failed");
            assertTrue(fresh.count() > 0, "its jobs are new again");
        }
        PostgresServer.execute("DROP TRIGGER refuse ON " + dataset + ".items");

        List<String> log = new ArrayList<>();
        Run resumed = run(spec, log);
        assertCompleted(resumed);
        assertTrue(log.stream().anyMatch(line -> line.startsWith("resuming load " + kept.getFileName())), log.toString());
        assertEquals(List.of(List.of("2"), List.of("20000"), List.of("20000")), PostgresServer.rows("SELECT count(*) FROM " + dataset
                + ".items GROUP BY _sluice_load_id ORDER BY 1"), "the first load, the resumed one and this run's, each once");
        assertEquals(40_002, PostgresServer.count("SELECT count(DISTINCT _sluice_id) FROM " + dataset + ".items"));
    }

    @Test
    void aCancelledLoadCommitsNothing() throws Exception {
        String dataset = "pgtest_cancelled";
        PostgresServer.dropDataset(dataset);
        Path directory = Files.createTempDirectory(dataset);
        write(directory, "{\"id\": 1}");
        PipelineSpec spec = spec(dataset, items(directory, ""));
        // Holding the dataset's lock parks the load inside its transaction, after the schema and tables are made.
        try (Connection holder = PostgresServer.connect(); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("SELECT pg_advisory_xact_lock(hashtext('sluice dataset " + dataset + "'))");
            Run run = executor.start(spec, "", Trigger.CLI);
            Await.until("the load to wait for the dataset's lock (advisory locks not granted)", Duration.ofSeconds(30),
                    () -> PostgresServer.count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"),
                    waiting -> waiting > 0);
            executor.cancel(run.id());
            Run cancelled = EndedRun.watch(executor, run).run();
            assertEquals(RunState.CANCELLED, cancelled.state(), cancelled.error());
            holder.rollback();
        }
        assertEquals(0, PostgresServer.count("SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + dataset + "'"),
                "not even the schema was committed");
        assertEquals(0, stagingTables(dataset), "a cancelled load drops what it staged");
    }

    @Test
    void connectionPoolsHaveTheirDocumentedDefaults() {
        assertEquals(8, config.destinationPools().maxSize());
        assertEquals(Duration.ofMinutes(5), config.destinationPools().idleTimeout());
        assertEquals(Duration.ofSeconds(1), config.destinationPools().duckdbKeepOpen());
    }

    @Test
    void aMissingPasswordSecretFailsTheRunNamingIt() throws Exception {
        Path directory = Files.createTempDirectory("pgtest_secretless");
        write(directory, "{\"id\": 1}");
        Run run = run(spec("pgtest_secretless", items(directory, ""), "no-such-pg-secret"));
        assertEquals(RunState.FAILED, run.state());
        assertTrue(run.error().contains("secret 'no-such-pg-secret' is not set"), run.error());
        assertTrue(run.error().contains("SLUICE_SECRET_NO_SUCH_PG_SECRET"), run.error());
    }

    @Test
    void aWrongPasswordFailsWithoutShowingIt() throws Exception {
        Path directory = Files.createTempDirectory("pgtest_wrong");
        write(directory, "{\"id\": 1}");
        // The right password first: its pooled connections must not let the wrong one in.
        assertEquals(RunState.COMPLETED, run(spec("pgtest_wrong", items(directory, ""))).state());
        List<String> logLines = new ArrayList<>();
        Run run = run(spec("pgtest_wrong", items(directory, ""), WRONG_SECRET), logLines);
        assertEquals(RunState.FAILED, run.state());
        assertTrue(run.error().startsWith("cannot connect to PostgreSQL database " + PostgresServer.DATABASE + " at "
                + PostgresServer.HOST + ":" + PostgresServer.PORT + " as " + PostgresServer.USER + ": "), run.error());
        assertFalse(run.error().contains(WRONG_PASSWORD), run.error());
        assertTrue(logLines.stream().anyMatch(line -> line.contains("password authentication failed")), logLines.toString());
        assertTrue(logLines.stream().noneMatch(line -> line.contains(WRONG_PASSWORD)), logLines.toString());
    }

    private static void write(Path directory, String... lines) throws IOException {
        Files.writeString(directory.resolve("items.jsonl"), String.join("\n", lines) + "\n");
    }
}
