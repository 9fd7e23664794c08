package io.sluice.runs;

import static io.sluice.runs.CsvCopiesTest.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.catalog.RunSummary;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.testing.Await;
import io.sluice.testing.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * CSV files copied whole into the load package and streamed into PostgreSQL with COPY land exactly as the same files
 * read as items: the files of {@link CsvCopiesTest}, and values PostgreSQL's parser meets differently from DuckDB's,
 * are loaded both ways into datasets of the real server and every value is compared; a package whose commit failed
 * after its copy was staged is loaded once by the next run. Several files of one table are copied on connections beside
 * the commit's too, through the dataset's staging schema, which every commit leaves empty however it ends.
 */
class PostgresCsvCopiesTest {
    private static final String SECRET = "csv-copies-pg-password";
    private static final Map<String, String> SECRETS = Map.of(SECRET, PostgresServer.PASSWORD);
    /** Tiny and negative zero doubles, a "\." line inside a quoted field (PostgreSQL's end of data alone on a line). */
    private static final Map<String, String> POSTGRES_FILES = Map.of(
            "g-postgres.csv", """
                    id,ratio,remark,flag,at
                    16,1e-310,"a
                    \\.
                    b",TRUE,2024-02-29 23:59
                    17,-0.0,back\\slash \\N,True,2024-01-01T00:00:00.5+05:30
                    18,2.5E+2,\\.,FALSE,2024-12-31T23:59:59.999999Z
                    """,
            "h-underflow.csv", "id,tiny\n19,1e-400\n20,0e-400\n");

    @Test
    void copiedFilesLandAsTheirItemsWouldForAppendsAndMerges() throws Exception {
        for (String disposition : List.of("APPEND", "MERGE")) {
            Path data = Files.createTempDirectory("pg-csv-copies");
            Path files = files(data);
            String copied = "pgcopy_copied_" + disposition.toLowerCase();
            String items = "pgcopy_items_" + disposition.toLowerCase();
            PostgresServer.dropDataset(copied);
            PostgresServer.dropDataset(items);
            // Files copied by several workers (the resumed package below is copied in order).
            RunSummary copiedRun = PipelineRuns.run(spec(files, copied, disposition, ""), data, SECRETS, 4, "load-1");
            RunSummary itemsRun = PipelineRuns.run(spec(files, items, disposition, CsvCopiesTest.NO_CHANGE), data, SECRETS, 1, "load-1");

            assertEquals(itemsRun.tables(), copiedRun.tables(), disposition + ": rows, drops and rejected rows per table");
            assertEquals(1, copiedRun.tables().stream().mapToLong(RunSummary.TableRows::rejectedRecords).sum(), "the bad row");
            try (Connection connection = PostgresServer.connect(); Statement statement = connection.createStatement()) {
                for (String table : List.of("rows", "tabs")) {
                    assertEquals(columns(statement, items, table), columns(statement, copied, table),
                            disposition + ": the columns of " + table + ", their types and order");
                    String names = String.join(", ", columns(statement, items, table).stream().map(column -> "\"" + column.get(0) + "\"")
                            .toList());
                    String rows = "SELECT " + names + " FROM %s." + table;
                    assertEquals(List.of(), rows(statement, "(" + rows.formatted(copied) + " EXCEPT ALL " + rows.formatted(items)
                            + ") UNION ALL (" + rows.formatted(items) + " EXCEPT ALL " + rows.formatted(copied) + ")"),
                            disposition + ": every value of " + table + ", the ids and load ids too");
                    String ids = "SELECT count(*), count(DISTINCT _sluice_id), min(length(_sluice_id)) FROM %s." + table;
                    assertEquals(rows(statement, ids.formatted(items)), rows(statement, ids.formatted(copied)),
                            disposition + ": an id of its own for each row");
                }
                statement.execute("SET TimeZone = 'UTC'");
                assertEquals(List.of(
                        List.of("1", "alpha", "655.75", "5", "t", "00501", "said \"hi\", then left", "2024-01-01 00:00:00+00"),
                        List.of("2", "beta", "100000", "0", "t", "00502", "line one\nline two", "2024-01-01 08:00:00+00"),
                        List.of("3", "gamma", "0.5", "17", "f", "12a", "  padded  ", "2024-01-01 15:00:00.123456+00"),
                        List.of("4", "Zürich", "5", "0", "f", "x", "日本", "2024-01-01 10:00:00+00")),
                        rows(statement, "SELECT id, name, amount, qty, active, zip, note, created FROM " + copied
                                + ".rows WHERE id <= 4 ORDER BY id"));
                assertEquals(List.of(
                        List.of("16", "1e-310", "a\n\\.\nb", "t", "2024-02-29 23:59:00+00"),
                        List.of("17", "-0", "back\\slash \\N", "t", "2023-12-31 18:30:00.5+00"),
                        List.of("18", "250", "\\.", "f", "2024-12-31 23:59:59.999999+00")),
                        rows(statement, "SELECT id, ratio, remark, flag, at FROM " + copied + ".rows WHERE id BETWEEN 16 AND 18 ORDER BY id"));
                assertEquals(List.of(List.of("19", "0"), List.of("20", "0")),
                        rows(statement, "SELECT id, tiny FROM " + copied + ".rows WHERE id >= 19 ORDER BY id"), "read as items");
            }
        }
    }

    /**
     * The commit of a package with a copy, one of whose fields goes to no column, fails (a trigger refuses its rows):
     * it leaves nothing behind, and the next run copies the package again and commits it once, before loading its own.
     */
    @Test
    void aPackageWhoseCommitFailedLoadsItsCopyOnceWhenResumed() throws Exception {
        Path data = Files.createTempDirectory("pg-csv-copy-resumed");
        Path files = files(data);
        String dataset = "pgcopy_resumed";
        PostgresServer.dropDataset(dataset);
        PipelineSpec spec = spec(files, dataset, "APPEND", "");
        long rows = PipelineRuns.run(spec, data, SECRETS, 1, "load-1").tables().stream()
                .filter(table -> table.table().equals("rows")).mapToLong(RunSummary.TableRows::rows).sum();
        refuseRows(dataset);

        assertThrows(RuntimeException.class, () -> PipelineRuns.run(spec, data, SECRETS, 1, "load-2"));
        try (Connection connection = PostgresServer.connect(); Statement statement = connection.createStatement()) {
            assertEquals(List.of(List.of("load-1")), rows(statement, "SELECT DISTINCT _sluice_load_id FROM " + dataset + ".rows"),
                    "the failed commit left only load-1's rows");
            statement.execute("DROP TRIGGER refuse ON " + dataset + ".rows");
        }
        PipelineRuns.run(spec, data, SECRETS, 1, "load-3");

        try (Connection connection = PostgresServer.connect(); Statement statement = connection.createStatement()) {
            assertEquals(List.of(List.of("load-1", String.valueOf(rows)), List.of("load-2", String.valueOf(rows)),
                    List.of("load-3", String.valueOf(rows))), rows(statement, "SELECT _sluice_load_id, count(*) FROM " + dataset
                    + ".rows GROUP BY 1 ORDER BY 1"), "each load once");
            assertEquals(List.of(List.of(String.valueOf(3 * rows))), rows(statement, "SELECT count(DISTINCT _sluice_id) FROM "
                    + dataset + ".rows"));
            String values = "SELECT " + String.join(", ", columns(statement, dataset, "rows").stream().map(List::getFirst)
                    .filter(column -> !column.startsWith("_sluice")).toList()) + " FROM " + dataset + ".rows WHERE _sluice_load_id = '%s'";
            assertEquals(List.of(), rows(statement, "(" + values.formatted("load-1") + " EXCEPT ALL " + values.formatted("load-2")
                    + ") UNION ALL (" + values.formatted("load-2") + " EXCEPT ALL " + values.formatted("load-1") + ")"),
                    "the resumed load holds the files' values");
            assertEquals(List.of(List.of("0")), rows(statement, "SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                    + dataset + "_staging'"), "nothing left staged");
        }
    }

    @Test
    void copiesWhoseKeysAscendMergeAsTheirItemsWouldWhetherTheirRangesMeetOrAreWholeOrNot() throws Exception {
        int merges = 0;
        for (Map.Entry<Map<String, String>, String> merge : CsvCopiesTest.ASCENDING_KEYS.entrySet()) {
            Path data = Files.createTempDirectory("pg-csv-copy-keys");
            Path files = Files.createDirectories(data.resolve("files"));
            String copied = "pgcopy_keys_copied_" + merges;
            String items = "pgcopy_keys_items_" + merges++;
            PostgresServer.dropDataset(copied);
            PostgresServer.dropDataset(items);
            CsvCopiesTest.storedThenMerged(files, merge.getKey(), loadId -> {
                PipelineRuns.run(spec(files, items, "MERGE", CsvCopiesTest.NO_CHANGE), data, SECRETS, 1, loadId);
                PipelineRuns.run(spec(files, copied, "MERGE", ""), data, SECRETS, 2, loadId);
            });
            try (Connection connection = PostgresServer.connect(); Statement statement = connection.createStatement()) {
                List<List<String>> itemRows = rows(statement, CsvCopiesTest.MERGED_ROWS.formatted(items + ".rows"));
                assertEquals(merge.getValue(), itemRows.stream().map(List::getFirst).collect(Collectors.joining(", ")),
                        "as items: " + merge.getKey());
                assertEquals(itemRows, rows(statement, CsvCopiesTest.MERGED_ROWS.formatted(copied + ".rows")), "copied: " + merge.getKey());
            }
        }
    }

    /**
     * A merge of several copied files copies them on connections beside its commit, into a table of rows apart in the
     * dataset's staging schema: the commit drops it, a leftover of a commit that died is made again, and a commit that
     * fails (a trigger refuses the merged rows) drops it after, leaving the dataset as it was; the next run commits the
     * failed package once.
     */
    @Test
    void aMergeCopiedBesideItsCommitLeavesNothingStagedWhetherItCommitsOrFails() throws Exception {
        String dataset = "pgcopy_beside";
        TwoFiles pipeline = TwoFiles.into(dataset, "MERGE");
        String rows = "SELECT id, name, _sluice_load_id FROM " + dataset + ".rows ORDER BY id";

        pipeline.write("1,one\n2,two\n", "3,three\n4,four\n");
        pipeline.run("load-1");
        PostgresServer.execute("CREATE TABLE " + dataset + "_staging._sluice_incoming_0 (left_by_a_dead_commit text)");
        PostgresServer.execute("INSERT INTO " + dataset + "_staging._sluice_incoming_0 VALUES ('x')");
        pipeline.write("2,TWO\n5,five\n", "4,FOUR\n6,six\n");
        pipeline.run("load-2");
        List<List<String>> merged = List.of(List.of("1", "one", "load-1"), List.of("2", "TWO", "load-2"), List.of("3", "three", "load-1"),
                List.of("4", "FOUR", "load-2"), List.of("5", "five", "load-2"), List.of("6", "six", "load-2"));
        assertLandedWithNothingStaged(dataset, rows, merged, "the leftover made again, and dropped by the commit");

        pipeline.write("1,ONE\n7,seven\n", "3,THREE\n8,eight\n");
        failThenResume(pipeline, dataset, rows, merged);
        assertLandedWithNothingStaged(dataset, rows, List.of(List.of("1", "ONE", "load-4"), List.of("2", "TWO", "load-2"),
                List.of("3", "THREE", "load-4"), List.of("4", "FOUR", "load-2"), List.of("5", "five", "load-2"), List.of("6", "six", "load-2"),
                List.of("7", "seven", "load-4"), List.of("8", "eight", "load-4")),
                "load-3's package committed once by the next run, which merged the same files again");
        assertLandedWithNothingStaged(dataset, "SELECT load_id FROM " + dataset + "._sluice_loads ORDER BY load_id",
                List.of(List.of("load-1"), List.of("load-2"), List.of("load-3"), List.of("load-4")), "each load recorded once");
    }

    /**
     * An append of several copied files copies some beside its commit, into a table aside in the staging schema that the
     * commit inserts from: every row lands once, with its load's id; a commit that fails (a trigger refuses the rows)
     * leaves the table and the staging schema as they were, and the next run commits the failed package once.
     */
    @Test
    void anAppendCopiedBesideItsCommitLandsEveryRowOnceAndLeavesNothingStaged() throws Exception {
        String dataset = "pgcopy_aside";
        TwoFiles pipeline = TwoFiles.into(dataset, "APPEND");
        String loads = "SELECT _sluice_load_id, count(*), count(DISTINCT _sluice_id), string_agg(name, ' ' ORDER BY id) FROM " + dataset
                + ".rows GROUP BY 1 ORDER BY 1";
        pipeline.write("1,one\n2,two\n", "3,three\n4,four\n");
        pipeline.run("load-1");
        pipeline.run("load-2");
        List<List<String>> twice = List.of(List.of("load-1", "4", "4", "one two three four"), List.of("load-2", "4", "4", "one two three four"));
        assertLandedWithNothingStaged(dataset, loads, twice, "each load's rows once");

        failThenResume(pipeline, dataset, loads, twice);
        List<List<String>> each = new ArrayList<>(twice);
        each.add(List.of("load-3", "4", "4", "one two three four"));
        each.add(List.of("load-4", "4", "4", "one two three four"));
        assertLandedWithNothingStaged(dataset, loads, each, "load-3's package committed once by the next run");
    }

    /**
     * Files that hold less together than {@code parallelCopyFrom} are copied by the commit alone, one after the other:
     * nothing is made in the staging schema, and the merge lands as any other.
     */
    @Test
    void filesTooSmallToGainFromCopiesAtOnceAreCopiedByTheCommitAlone() throws Exception {
        String dataset = "pgcopy_small";
        TwoFiles pipeline = TwoFiles.into(dataset, "MERGE");
        pipeline.write("1,one\n2,two\n", "3,three\n4,four\n");
        PipelineRuns.run(pipeline.spec(), pipeline.data(), SECRETS, 2, "load-1", 1 << 20);
        pipeline.write("2,TWO\n5,five\n", "4,FOUR\n6,six\n");
        PipelineRuns.run(pipeline.spec(), pipeline.data(), SECRETS, 2, "load-2", 1 << 20);
        try (Connection connection = PostgresServer.connect(); Statement statement = connection.createStatement()) {
            assertEquals(List.of(List.of("1", "one"), List.of("2", "TWO"), List.of("3", "three"), List.of("4", "FOUR"), List.of("5", "five"),
                    List.of("6", "six")), rows(statement, "SELECT id, name FROM " + dataset + ".rows ORDER BY id"));
            assertEquals(List.of(), rows(statement, "SELECT 1 FROM pg_namespace WHERE nspname = '" + dataset + "_staging'"),
                    "no staging schema made");
        }
    }

    /**
     * A merge that waited for the dataset's lock deletes the stored rows of its keys that were committed while it
     * waited, even where the server's transactions keep one snapshot each: the commit reads what was committed as each
     * of its statements starts, as it must for the rows its side connections copy too.
     */
    @Test
    void aMergeThatWaitedForTheDatasetReplacesWhatWasCommittedMeanwhileWhereTransactionsKeepOneSnapshot() throws Exception {
        String dataset = "pgcopy_waited";
        TwoFiles pipeline = TwoFiles.into(dataset, "MERGE");
        pipeline.write("1,one\n", "2,two\n");
        pipeline.run("load-1");
        String role = "ALTER ROLE \"" + PostgresServer.USER + "\" IN DATABASE \"" + PostgresServer.DATABASE + "\" ";
        String lock = "hashtext('sluice dataset " + dataset + "')";
        PostgresServer.execute(role + "SET default_transaction_isolation = 'repeatable read'");
        try (Connection holder = PostgresServer.connect(); Statement holding = holder.createStatement()) {
            holding.execute("SELECT pg_advisory_lock(" + lock + ")");
            pipeline.write("1,ONE\n", "3,three\n");
            CompletableFuture<RunSummary> merge = CompletableFuture.supplyAsync(() -> pipeline.run("load-2"));
            Await.until("the merge waiting for the dataset's lock", Duration.ofSeconds(60),
                    () -> rows(holding, "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"), waiting -> !waiting.isEmpty());
            PostgresServer.execute("INSERT INTO " + dataset + ".rows (id, name, _sluice_load_id, _sluice_id)"
                    + " VALUES (1, 'committed meanwhile', 'load-0', 'meanwhile')");
            holding.execute("SELECT pg_advisory_unlock(" + lock + ")");
            merge.get(60, TimeUnit.SECONDS);
        } finally {
            PostgresServer.execute(role + "RESET default_transaction_isolation");
        }
        try (Connection connection = PostgresServer.connect(); Statement statement = connection.createStatement()) {
            assertEquals(List.of(List.of("1", "ONE"), List.of("2", "two"), List.of("3", "three")),
                    rows(statement, "SELECT id, name FROM " + dataset + ".rows ORDER BY id"));
        }
    }

    /**
     * A user given only the dataset's schema, who may neither create schemas nor make tables in the dataset's staging
     * schema (made by someone else), merges several files as before: copied into a temporary table by the commit alone.
     */
    @Test
    void aUserGivenOnlyTheDatasetsSchemaMergesSeveralFilesWithoutTheStagingSchema() throws Exception {
        String dataset = "pgcopy_limited";
        TwoFiles superuser = TwoFiles.into(dataset, "MERGE");
        PostgresServer.execute("DROP ROLE IF EXISTS pgcopy_limited");
        PostgresServer.execute("CREATE ROLE pgcopy_limited LOGIN PASSWORD 'limited'");
        PostgresServer.execute("CREATE SCHEMA " + dataset);
        PostgresServer.execute("GRANT USAGE, CREATE ON SCHEMA " + dataset + " TO pgcopy_limited");
        PostgresServer.execute("CREATE SCHEMA " + dataset + "_staging");
        String name = dataset.replace('_', '-');
        TwoFiles pipeline = superuser.as(PipelineSpecs.toSpec(SpecReader.parse("""
                name: %s
                source: { filesystem: { base_path: "%s", resources: [ { name: rows, glob: "*.csv", write_disposition: MERGE, primary_key: [id] } ] } }
                destination: { postgres: { host: %s, port: %d, database: %s, username: pgcopy_limited, password_secret: limited }, dataset: %s }
                """.formatted(name, superuser.files(), PostgresServer.HOST, PostgresServer.PORT, PostgresServer.DATABASE, dataset), name), name),
                Map.of("limited", "limited"));
        try {
            pipeline.write("1,one\n2,two\n", "3,three\n4,four\n");
            pipeline.run("load-1");
            pipeline.write("2,TWO\n5,five\n", "4,FOUR\n6,six\n");
            pipeline.run("load-2");
            try (Connection connection = PostgresServer.connect(); Statement statement = connection.createStatement()) {
                assertEquals(List.of(List.of("1", "one"), List.of("2", "TWO"), List.of("3", "three"), List.of("4", "FOUR"),
                        List.of("5", "five"), List.of("6", "six")), rows(statement, "SELECT id, name FROM " + dataset + ".rows ORDER BY id"));
                assertEquals(List.of(List.of("0")), stagedTables(statement, dataset));
            }
        } finally {
            PostgresServer.dropDataset(dataset);
            PostgresServer.execute("DROP ROLE pgcopy_limited");
        }
    }

    /**
     * Runs {@code spec} as load-3 while a trigger refuses every insert into the table: the run fails, leaving
     * {@code query}'s answer {@code before} and nothing in the staging schema; then, the trigger gone, runs it as
     * load-4, which commits load-3's package first.
     */
    private static void failThenResume(TwoFiles pipeline, String dataset, String query, List<List<String>> before) throws Exception {
        refuseRows(dataset);
        assertThrows(RuntimeException.class, () -> pipeline.run("load-3"));
        assertLandedWithNothingStaged(dataset, query, before, "the failed commit changed nothing, and dropped what its copies staged");
        PostgresServer.execute("DROP TRIGGER refuse ON " + dataset + ".rows");
        pipeline.run("load-4");
    }

    /**
     * A pipeline of the spec's two resources into a dataset, emptied first, whose {@code rows} read two CSV files the test
     * writes ({@code a.csv} and {@code b.csv}, with a header {@code id,name}), run by two extract workers.
     */
    private record TwoFiles(Path data, Path files, PipelineSpec spec, Map<String, String> secrets) {
        static TwoFiles into(String dataset, String disposition) throws IOException {
            Path data = Files.createTempDirectory("pg-csv-" + dataset);
            Path files = filesBeside(data);
            PostgresServer.dropDataset(dataset);
            return new TwoFiles(data, files, PostgresCsvCopiesTest.spec(files, dataset, disposition, ""), SECRETS);
        }

        /** The same files, read by another pipeline. */
        TwoFiles as(PipelineSpec other, Map<String, String> otherSecrets) {
            return new TwoFiles(data, files, other, otherSecrets);
        }

        void write(String first, String second) throws IOException {
            Files.writeString(files.resolve("a.csv"), "id,name\n" + first, StandardCharsets.UTF_8);
            Files.writeString(files.resolve("b.csv"), "id,name\n" + second, StandardCharsets.UTF_8);
        }

        RunSummary run(String loadId) {
            return PipelineRuns.run(spec, data, secrets, 2, loadId);
        }
    }

    private static void assertLandedWithNothingStaged(String dataset, String query, List<List<String>> expected, String message)
            throws SQLException {
        try (Connection connection = PostgresServer.connect(); Statement statement = connection.createStatement()) {
            assertEquals(expected, rows(statement, query), message);
            assertEquals(List.of(List.of("0")), stagedTables(statement, dataset), message + ": no table left in the staging schema");
        }
    }

    /** The files folder of {@code data}, with the spec's other resource's file, whose rows must match. */
    private static Path filesBeside(Path data) throws IOException {
        Path files = Files.createDirectories(data.resolve("files"));
        Files.writeString(files.resolve("f-no-header.tsv"), CsvCopiesTest.FILES.get("f-no-header.tsv"), StandardCharsets.UTF_8);
        return files;
    }

    /** A trigger on the dataset's table {@code rows} that refuses every insert, and so fails the commit of any load. */
    private static void refuseRows(String dataset) {
        PostgresServer.execute("CREATE FUNCTION " + dataset + ".refuse() RETURNS trigger LANGUAGE plpgsql AS"
                + " 'BEGIN RAISE EXCEPTION ''refused''; END'");
        PostgresServer.execute("CREATE TRIGGER refuse BEFORE INSERT ON " + dataset + ".rows EXECUTE FUNCTION " + dataset + ".refuse()");
    }


    private static List<List<String>> stagedTables(Statement statement, String dataset) throws SQLException {
        return rows(statement, "SELECT count(*) FROM pg_tables WHERE schemaname = '" + dataset + "_staging'");
    }

    /** As into DuckDB ({@link CsvCopiesTest#aTimestampThatNamesNoMomentIsTextAndTheRunLoadsEveryRow}): PostgreSQL refuses them too. */
    @Test
    void aTimestampThatNamesNoMomentIsTextAndTheRunLoadsEveryRow() throws Exception {
        Path data = Files.createTempDirectory("pg-csv-impossible");
        Path files = Files.createDirectories(data.resolve("files"));
        Files.writeString(files.resolve("a.csv"), CsvCopiesTest.IMPOSSIBLE_TIMESTAMPS, StandardCharsets.UTF_8);
        Files.writeString(files.resolve("f-no-header.tsv"), CsvCopiesTest.FILES.get("f-no-header.tsv"), StandardCharsets.UTF_8);
        for (String dataset : List.of("pgcopy_impossible_copied", "pgcopy_impossible_items")) {
            PostgresServer.dropDataset(dataset);
            PipelineRuns.run(spec(files, dataset, "APPEND", dataset.endsWith("items") ? CsvCopiesTest.NO_CHANGE : ""), data, SECRETS, 1, "load-1");
            try (Connection connection = PostgresServer.connect(); Statement statement = connection.createStatement()) {
                statement.execute("SET TimeZone = 'UTC'");
                assertEquals(List.of(List.of("1", "2024-01-31 10:00:00+00", "null"), List.of("2", "null", "2024-02-30T10:00:00Z"),
                                List.of("3", "null", "2023-02-29 10:00:00"), List.of("4", "2024-03-02 00:00:00+00", "null"),
                                List.of("5", "null", "2024-03-01T10:00:00+16:00")),
                        rows(statement, "SELECT id, at, at__v_text FROM " + dataset + ".rows ORDER BY id"), dataset);
            }
        }
    }

    private static Path files(Path data) throws IOException {
        Path files = Files.createDirectories(data.resolve("files"));
        Map<String, String> all = new HashMap<>(CsvCopiesTest.FILES);
        all.putAll(POSTGRES_FILES);
        for (Map.Entry<String, String> file : all.entrySet()) {
            Files.writeString(files.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
        return files;
    }

    private static List<List<String>> columns(Statement statement, String dataset, String table) throws SQLException {
        return rows(statement, "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '" + dataset
                + "' AND table_name = '" + table + "' ORDER BY ordinal_position");
    }

    private static PipelineSpec spec(Path files, String dataset, String disposition, String transforms) {
        String merge = disposition.equals("MERGE") ? ", write_disposition: MERGE, primary_key: [id]" : "";
        String name = dataset.replace('_', '-');
        return PipelineSpecs.toSpec(SpecReader.parse("""
                name: %s
                source: { filesystem: { base_path: "%s", resources: [
                  { name: rows, glob: "*.csv", detect: [ISO_TIMESTAMP, ISO_DATE]%s },
                  { name: tabs, glob: "*.tsv", format: CSV, csv: { delimiter: "\\t", header: false }%s } ] } }
                destination: %s
                %s
                """.formatted(name, files, merge, merge.replace("[id]", "[column_1]"), PostgresServer.destination(SECRET, dataset),
                transforms), name), name);
    }
}
