package io.sluice.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.catalog.RunSummary;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.testing.DuckDbQueries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;

/**
 * CSV files copied whole into the load package and read by DuckDB land exactly as the same files read as items: the
 * same files are loaded both ways (a transform that changes nothing makes the run read items) and every table is
 * compared value by value, with the files that cannot be copied (a bad row, a column of two types, a quoted number)
 * falling back and their bad rows rejected and counted as before.
 */
class CsvCopiesTest {
    /** Files the scan copies, and files it leaves to the normal path: both kinds in one resource. */
    static final Map<String, String> FILES = Map.of(
            "a-clean.csv", """
                    id,name,amount,qty,active,created,zip,note,nothing,day
                    1,alpha,655.75,+5,true,2024-01-01T00:00:00Z,00501,"said ""hi"", then left",,2024-01-01
                    2,beta,1e5,-0,TRUE,2024-01-01 10:00:00+02:00,00502,"line one
                    line two",,2024-01-02
                    3,gamma,.5,17,False,2024-01-01T10:00:00.123456-0500,12a,  padded  ,,2024-01-03
                    4,Zürich,5.,0,false,2024-01-01T10:00,x,日本,,2024-01-04
                    5,,,,,,,,,
                    """,
            "b-crlf.csv", "name,id,extra\r\ndelta,6,1.5\r\nepsilon,7,-2.5E3",
            "c-bad-row.csv", "id,name\n8,eta\n9,theta,extra\n10,iota\n",
            "d-two-types.csv", "id,amount\n11,3\n12,3.5\n",
            "e-quoted-number.csv", "id,name\n\"13\",kappa\n",
            "f-no-header.tsv", "14\tlambda\n15\tmu\n");
    /** Transforms that change nothing, which make the run read every file as items. */
    static final String NO_CHANGE =
            "transforms: [ { resource: rows, drop: { columns: [no_such_field] } }, { resource: tabs, drop: { columns: [no_such_field] } } ]";

    @Test
    void copiedFilesLandAsTheirItemsWouldForAppendsAndMerges() throws Exception {
        for (String disposition : List.of("APPEND", "MERGE")) {
            Path data = Files.createTempDirectory("csv-copies");
            Path files = Files.createDirectories(data.resolve("files"));
            for (Map.Entry<String, String> file : FILES.entrySet()) {
                Files.writeString(files.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
            }
            RunSummary copied = PipelineRuns.run(spec(files, "copied", disposition, ""), data, Map.of());
            RunSummary items = PipelineRuns.run(spec(files, "items", disposition, NO_CHANGE), data, Map.of());

            assertEquals(items.tables(), copied.tables(), disposition + ": rows, drops and rejected rows per table");
            assertEquals(1, copied.tables().stream().mapToLong(RunSummary.TableRows::rejectedRecords).sum(), "the bad row");
            try (Connection connection = new DuckDBDriver().connect("jdbc:duckdb:" + data.resolve("copied.duckdb"), new Properties());
                 Statement statement = connection.createStatement()) {
                statement.execute("ATTACH '" + data.resolve("items.duckdb") + "' AS items (READ_ONLY)");
                for (String table : List.of("rows", "tabs")) {
                    String columns = "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = '%s'"
                            + " AND table_schema = 'raw' AND table_name = '" + table + "' ORDER BY ordinal_position";
                    assertEquals(rows(statement, columns.formatted("items")), rows(statement, columns.formatted("copied")),
                            disposition + ": the columns of " + table + ", their types and order");
                    String rows = "SELECT * EXCLUDE (_sluice_load_id, _sluice_id) FROM %s.raw." + table;
                    assertEquals(List.of(), rows(statement, "(" + rows.formatted("copied") + " EXCEPT ALL "
                            + rows.formatted("items") + ") UNION ALL (" + rows.formatted("items") + " EXCEPT ALL "
                            + rows.formatted("copied") + ")"), disposition + ": every value of " + table);
                    assertEquals(rows(statement, "SELECT count(*), count(DISTINCT _sluice_id), min(length(_sluice_id))"
                            + " FROM items.raw." + table), rows(statement, "SELECT count(*), count(DISTINCT _sluice_id),"
                            + " min(length(_sluice_id)) FROM copied.raw." + table), disposition + ": an id of its own for each row");
                }
                List<List<String>> loaded = rows(statement, "SELECT id, name, amount, qty, active, zip, note,"
                        + " strftime(created AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S.%f') FROM copied.raw.rows WHERE id <= 4 ORDER BY id");
                assertEquals(List.of("1", "alpha", "655.75", "5", "true", "00501", "said \"hi\", then left", "2024-01-01 00:00:00.000000"),
                        loaded.get(0));
                assertEquals(List.of("2", "beta", "100000.0", "0", "true", "00502", "line one\nline two", "2024-01-01 08:00:00.000000"),
                        loaded.get(1));
                assertEquals(List.of("3", "gamma", "0.5", "17", "false", "12a", "  padded  ", "2024-01-01 15:00:00.123456"),
                        loaded.get(2));
                assertEquals(List.of("4", "Zürich", "5.0", "0", "false", "x", "日本", "2024-01-01 10:00:00.000000"), loaded.get(3));
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }

    /**
     * A copied file's rows have the ids its items would have (the runs share a load id), whether the resource's files
     * are read one after another or by several workers: each file's rows are numbered from its place among the files.
     */
    @Test
    void copiedRowsHaveTheIdsOfTheirItemsInOrderAndOnWorkers() throws Exception {
        Path data = Files.createTempDirectory("csv-copy-ids");
        Path files = Files.createDirectories(data.resolve("files"));
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            Files.writeString(files.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
        PipelineRuns.run(spec(files, "items", "APPEND", NO_CHANGE), data, Map.of(), 1, "load-1");
        PipelineRuns.run(spec(files, "in-order", "APPEND", ""), data, Map.of(), 1, "load-1");
        PipelineRuns.run(spec(files, "on-workers", "APPEND", ""), data, Map.of(), 4, "load-1");
        for (String table : List.of("rows", "tabs")) {
            String rows = "SELECT * EXCLUDE (_sluice_load_id) FROM raw." + table + " ORDER BY ALL";
            List<List<String>> items = DuckDbQueries.rows(data.resolve("items.duckdb"), rows);
            assertEquals(items, DuckDbQueries.rows(data.resolve("in-order.duckdb"), rows), table + ", copied in order");
            assertEquals(items, DuckDbQueries.rows(data.resolve("on-workers.duckdb"), rows), table + ", copied by workers");
        }
    }

    /**
     * Merges of copies whose keys ascend within each file into a table that holds keys 0 to 10 ({@link #STORED_KEYS}),
     * and the rows each merge leaves, by key: files whose keys lie apart (nothing to de-duplicate, which the files tell
     * without a look at the rows); files whose ranges meet, and a file whose key repeats, whose rows are de-duplicated to
     * one per key (the one items would keep); files whose keys are every integer of their ranges, apart, following one
     * another or not, whose stored rows are deleted by those ranges, and a file of one such range beside a file with a
     * key missing from its range (2 of 1 to 3), whose stored row must stay.
     */
    static final Map<Map<String, String>, String> ASCENDING_KEYS = Map.of(
            Map.of("a.csv", "id,name\n1,a1\n2,a2\n", "b.csv", "id,name\n5,b5\n7,b7\n"),
            "0 s0, 1 a1, 2 a2, 3 s3, 4 s4, 5 b5, 6 s6, 7 b7, 8 s8, 9 s9, 10 s10",
            Map.of("a.csv", "id,name\n1,a1\n2,a2\n3,a3\n", "b.csv", "id,name\n3,b3\n4,b4\n"),
            "0 s0, 1 a1, 2 a2, 3 a3, 4 b4, 5 s5, 6 s6, 7 s7, 8 s8, 9 s9, 10 s10",
            Map.of("a.csv", "id,name\n1,a1\n2,a2\n2,a2b\n", "b.csv", "id,name\n5,b5\n"),
            "0 s0, 1 a1, 2 a2b, 3 s3, 4 s4, 5 b5, 6 s6, 7 s7, 8 s8, 9 s9, 10 s10",
            Map.of("a.csv", "id,name\n8,a8\n9,a9\n10,a10\n11,a11\n", "b.csv", "id,name\n2,b2\n3,b3\n", "c.csv", "id,name\n4,c4\n"),
            "0 s0, 1 s1, 2 b2, 3 b3, 4 c4, 5 s5, 6 s6, 7 s7, 8 a8, 9 a9, 10 a10, 11 a11",
            Map.of("a.csv", "id,name\n5,a5\n6,a6\n", "b.csv", "id,name\n1,b1\n3,b3\n"),
            "0 s0, 1 b1, 2 s2, 3 b3, 4 s4, 5 a5, 6 a6, 7 s7, 8 s8, 9 s9, 10 s10");
    /** The stored rows the merges of {@link #ASCENDING_KEYS} meet: keys 0 to 10, named s0 to s10. */
    static final String STORED_KEYS = "id,name\n" + IntStream.rangeClosed(0, 10).mapToObj(key -> key + ",s" + key + "\n").collect(Collectors.joining());
    /** Each row's key and name, in order of key, and its id. */
    static final String MERGED_ROWS = "SELECT concat(id, ' ', name), _sluice_id FROM %s ORDER BY id";

    /**
     * Writes into {@code files} the stored rows of {@link #STORED_KEYS} and loads them by {@code run} as load-1, then
     * writes the files of a merge of {@link #ASCENDING_KEYS} in their place and merges them by {@code run} as load-2.
     */
    static void storedThenMerged(Path files, Map<String, String> merge, Consumer<String> run) throws IOException {
        // The spec's other resource, whose files must match.
        Files.writeString(files.resolve("f-no-header.tsv"), FILES.get("f-no-header.tsv"), StandardCharsets.UTF_8);
        Path stored = Files.writeString(files.resolve("stored.csv"), STORED_KEYS, StandardCharsets.UTF_8);
        run.accept("load-1");
        Files.delete(stored);
        for (Map.Entry<String, String> file : merge.entrySet()) {
            Files.writeString(files.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
        run.accept("load-2");
    }

    @Test
    void copiesWhoseKeysAscendMergeAsTheirItemsWouldWhetherTheirRangesMeetOrAreWholeOrNot() throws Exception {
        for (Map.Entry<Map<String, String>, String> merge : ASCENDING_KEYS.entrySet()) {
            Path data = Files.createTempDirectory("csv-copy-keys");
            Path files = Files.createDirectories(data.resolve("files"));
            storedThenMerged(files, merge.getKey(), loadId -> {
                PipelineRuns.run(spec(files, "items", "MERGE", NO_CHANGE), data, Map.of(), 1, loadId);
                PipelineRuns.run(spec(files, "copied", "MERGE", ""), data, Map.of(), 2, loadId);
            });
            String rows = MERGED_ROWS.formatted("raw.rows");
            List<List<String>> items = DuckDbQueries.rows(data.resolve("items.duckdb"), rows);
            assertEquals(merge.getValue(), items.stream().map(List::getFirst).collect(Collectors.joining(", ")), "as items: " + merge.getKey());
            assertEquals(items, DuckDbQueries.rows(data.resolve("copied.duckdb"), rows), "copied: " + merge.getKey());
        }
    }

    /**
     * Copies whose keys are every integer of their ranges, with rows that delete their record, merge as their items
     * would: a merge that must read the load's rows for that merges after they are in, not by its files alone.
     */
    @Test
    void copiesOfWholeKeysWithRowsThatDeleteMergeAsTheirItemsWould() throws Exception {
        Path data = Files.createTempDirectory("csv-copy-deletes");
        Path files = Files.createDirectories(data.resolve("files"));
        String merge = ", write_disposition: MERGE, primary_key: [id], columns: [ {name: gone, hard_delete: true} ]";
        storedThenMerged(files, Map.of("a.csv", "id,name,gone\n3,a3,\n4,a4,true\n5,a5,false\n"), loadId -> {
            PipelineRuns.run(spec(files, "items", merge, "", NO_CHANGE), data, Map.of(), 1, loadId);
            PipelineRuns.run(spec(files, "copied", merge, "", ""), data, Map.of(), 2, loadId);
        });
        String rows = MERGED_ROWS.formatted("raw.rows");
        List<List<String>> items = DuckDbQueries.rows(data.resolve("items.duckdb"), rows);
        assertEquals("0 s0, 1 s1, 2 s2, 3 a3, 5 a5, 6 s6, 7 s7, 8 s8, 9 s9, 10 s10",
                items.stream().map(List::getFirst).collect(Collectors.joining(", ")));
        assertEquals(items, DuckDbQueries.rows(data.resolve("copied.duckdb"), rows));
    }

    /** Timestamps of the right shape, three of which name no moment both destinations read: 30 February, 29 February of a common year, an offset of 16 hours. */
    static final String IMPOSSIBLE_TIMESTAMPS = """
            id,at
            1,2024-01-31T10:00:00Z
            2,2024-02-30T10:00:00Z
            3,2023-02-29 10:00:00
            4,2024-03-01T24:00:00Z
            5,2024-03-01T10:00:00+16:00
            """;

    /**
     * A value shaped like a timestamp that names no moment is text: the run completes with every row, that value in the
     * column's text variant (where the destination's reader would have failed the whole load), copied or read as items.
     */
    @Test
    void aTimestampThatNamesNoMomentIsTextAndTheRunLoadsEveryRow() throws Exception {
        Path data = Files.createTempDirectory("csv-impossible");
        Path files = Files.createDirectories(data.resolve("files"));
        Files.writeString(files.resolve("a.csv"), IMPOSSIBLE_TIMESTAMPS, StandardCharsets.UTF_8);
        Files.writeString(files.resolve("f-no-header.tsv"), FILES.get("f-no-header.tsv"), StandardCharsets.UTF_8);
        for (String name : List.of("copied", "items")) {
            RunSummary run = PipelineRuns.run(spec(files, name, "APPEND", name.equals("items") ? NO_CHANGE : ""), data, Map.of());
            assertEquals(5, run.tables().stream().filter(table -> table.table().equals("rows")).mapToLong(RunSummary.TableRows::rows).sum(), name);
            assertEquals(List.of(List.of("1", "2024-01-31 10:00:00", "null"), List.of("2", "null", "2024-02-30T10:00:00Z"),
                            List.of("3", "null", "2023-02-29 10:00:00"), List.of("4", "2024-03-02 00:00:00", "null"),
                            List.of("5", "null", "2024-03-01T10:00:00+16:00")),
                    DuckDbQueries.rows(data.resolve(name + ".duckdb"),
                            "SELECT id, strftime(\"at\" AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S'), at__v_text FROM raw.rows ORDER BY id"), name);
        }
    }

    /** The rows {@code sql} reads, each value as text. */
    static List<List<String>> rows(Statement statement, String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
                    row.add(String.valueOf(result.getString(column)));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static PipelineSpec spec(Path files, String name, String disposition, String transforms) {
        String merge = disposition.equals("MERGE") ? ", write_disposition: MERGE, primary_key: [id]" : "";
        return spec(files, name, merge, merge.replace("[id]", "[column_1]"), transforms);
    }

    /** The spec of both resources, each given {@code rows}' and {@code tabs}' options after its own. */
    private static PipelineSpec spec(Path files, String name, String rows, String tabs, String transforms) {
        return PipelineSpecs.toSpec(SpecReader.parse("""
                name: %s
                source: { filesystem: { base_path: "%s", resources: [
                  { name: rows, glob: "*.csv", detect: [ISO_TIMESTAMP, ISO_DATE]%s },
                  { name: tabs, glob: "*.tsv", format: CSV, csv: { delimiter: "\\t", header: false }%s } ] } }
                destination: { duckdb: { path: "%s" }, dataset: raw }
                %s
                """.formatted(name, files, rows, tabs, files.resolveSibling(name + ".duckdb"), transforms), ""), "");
    }
}
