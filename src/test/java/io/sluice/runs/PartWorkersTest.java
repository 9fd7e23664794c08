package io.sluice.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalog.RunSummary;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.Specs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A filesystem resource of several files read by several workers at once gives what reading the files one after another
 * gives: the same rows in every table, the same schema and the same counts; where the order matters it is read in order.
 */
class PartWorkersTest {
    private static final int WORKERS = 4;

    /**
     * The files disagree as the sequential path resolves: a column a BIGINT in one file and DOUBLE or text in a later one
     * (a promotion, a variant column), a field whose name another file's field took, nested tables, bad lines; the files
     * that agree with the ones before are taken over as the workers made them, the others normalized again.
     */
    @Test
    void nestedJsonFilesThatDisagreeGiveTheSequentialResult() throws Exception {
        Path files = Files.createTempDirectory("part-files");
        Files.writeString(files.resolve("a.jsonl"), """
                {"id": 1, "amount": 5, "code": 7, "tags": ["x"], "items": [{"sku": "A", "qty": 1}]}
                {"id": 2, "amount": 6, "code": 8, "items": []}
                {not json
                """);
        Files.writeString(files.resolve("b.jsonl"), """
                {"id": 3, "amount": 6.5, "code": "seven", "extra": true, "items": [{"sku": "B", "qty": 2.5, "notes": [{"n": "hi"}]}]}
                """);
        Files.writeString(files.resolve("c.jsonl"), """
                {"id": 4, "amount": 7.5, "code": 9, "Extra": "E", "items": [{"sku": "C", "qty": 3.5}]}
                """);
        Files.writeString(files.resolve("d.jsonl"), """
                {"id": 5, "amount": 8.5, "newcol": "z", "tags": ["y", "z"]}
                [1, 2]
                {"id": 6, "amount": 9.5, "code": 10, "items": [{"sku": "D", "qty": 4.5, "notes": [{"n": "ho", "m": 1}]}]}
                """);
        Files.writeString(files.resolve("e.jsonl"), """
                {"id": 7, "amount": 1, "code": "x"}
                """);
        Loaded parallel = sequentialResult(files, "*.jsonl", "", "items", "items__tags", "items__items", "items__items__notes");

        assertTrue(parallel.schema().toString().contains("code__v_text"), parallel.schema().toString());
        assertTrue(parallel.schema().toString().contains("extra"), "b's field and c's field of one name: " + parallel.schema());
        assertEquals(List.of("items", "7", "0", "0", "2"), parallel.counts().getFirst(), "two bad lines rejected");
        assertEquals(List.of(List.of("0")), parallel.unlinked(), "every nested row has its parent and root");
        assertFalse(parallel.again().isEmpty(), "some files were normalized again");
        assertTrue(parallel.again().size() < 5, "and some taken over: " + parallel.again());
    }

    @Test
    void csvFilesThatDisagreeGiveTheSequentialResult() throws Exception {
        Path files = Files.createTempDirectory("part-files");
        Files.writeString(files.resolve("a.csv"), "id,amount,flag\n1,5,true\n2,6,false\n3,7\n");
        Files.writeString(files.resolve("b.csv"), "id,amount,flag\n4,7.5,true\n5,x,false\n");
        Files.writeString(files.resolve("c.csv"), "id,amount,flag,more\n6,8.5,true,m\n");
        Files.writeString(files.resolve("d.csv"), "id,flag,amount\n7,false,9.5\n");
        Loaded parallel = sequentialResult(files, "*.csv", "", "items");

        assertEquals(List.of("items", "6", "0", "0", "1"), parallel.counts().getFirst(), "the short row rejected");
    }

    /** Of a discard contract, the same rows and values are dropped and counted. */
    @Test
    void aDiscardingContractDropsWhatItDropsInOrder() throws Exception {
        Path files = Files.createTempDirectory("part-files");
        Files.writeString(files.resolve("a.jsonl"), "{\"id\": 1, \"amount\": 5}\n");
        Files.writeString(files.resolve("b.jsonl"), "{\"id\": 2, \"amount\": \"five\"}\n{\"id\": 3, \"amount\": 6.5}\n");
        Files.writeString(files.resolve("c.jsonl"), "{\"id\": 4, \"amount\": 7, \"items\": [{\"a\": 1}]}\n");
        Loaded parallel = sequentialResult(files, "*.jsonl", "schema_contract: { data_type: DISCARD_ROW }", "items");

        assertEquals(List.of("items", "2", "2", "0", "0"), parallel.counts().getFirst(), "'five' and 6.5 need a change of type");
    }

    @Test
    void aResourceWhoseOrderMattersIsReadInOrder() throws Exception {
        Path files = Files.createTempDirectory("part-files");
        Files.writeString(files.resolve("a.jsonl"), "{\"id\": 1, \"at\": 1}\n{\"id\": 2, \"at\": 2}\n");
        Files.writeString(files.resolve("b.jsonl"), "{\"id\": 3, \"at\": 3}\n{\"id\": 4, \"at\": 4}\n");
        Files.writeString(files.resolve("c.jsonl"), "{\"id\": 5, \"at\": 5}\n");
        String incremental = "incremental: { cursor_path: at, initial_value: \"2\", end_value: \"4\", row_order: ASC }";
        Loaded ordered = load(files, "*.jsonl", incremental, WORKERS);
        assertFalse(ordered.spread(), "an incremental cursor follows the items in order");
        assertEquals(List.of(List.of("2"), List.of("3")), DuckDbQueries.rows(ordered.database(), "SELECT id FROM raw.items ORDER BY id"),
                "the window [2, 4), read until the first item past it");
        assertEquals(load(files, "*.jsonl", incremental, 1).rows("items"), ordered.rows("items"));

        assertFalse(load(files, "a.jsonl", "", WORKERS).spread(), "one file is read on the resource's thread");
        assertFalse(load(files, "*.jsonl", "", 1).spread(), "one worker reads the files in order");
        assertTrue(load(files, "*.jsonl", "", WORKERS).spread());
    }

    /** A frozen contract fails at the first violation in the files' order: the message is the sequential one. */
    @Test
    void aFrozenContractFailsAtTheFirstViolationInOrder() throws Exception {
        Path files = Files.createTempDirectory("part-files");
        Files.writeString(files.resolve("a.jsonl"), "{\"id\": 1, \"amount\": 5}\n");
        Files.writeString(files.resolve("b.jsonl"), "{\"id\": 2, \"amount\": 5.5}\n");
        Files.writeString(files.resolve("c.jsonl"), "{\"id\": 3, \"amount\": \"x\"}\n");
        String keys = "schema_contract: { data_type: FREEZE }";
        String sequential = assertThrows(RuntimeException.class, () -> load(files, "*.jsonl", keys, 1)).getMessage();
        String parallel = assertThrows(RuntimeException.class, () -> load(files, "*.jsonl", keys, WORKERS)).getMessage();
        assertEquals(sequential, parallel);
        assertTrue(parallel.contains("b.jsonl:1"), parallel);
    }

    /**
     * What a run of {@code glob} read by several workers loaded, checked against a run that reads the files in order:
     * the same schema, counts and rows in {@code tables}.
     */
    private static Loaded sequentialResult(Path files, String glob, String resourceKeys, String... tables) throws IOException {
        Loaded sequential = load(files, glob, resourceKeys, 1);
        Loaded parallel = load(files, glob, resourceKeys, WORKERS);
        assertEquals(sequential.schema(), parallel.schema());
        assertEquals(sequential.counts(), parallel.counts());
        for (String table : tables) {
            assertEquals(sequential.rows(table), parallel.rows(table), table);
        }
        assertTrue(parallel.spread(), "the files were read by workers");
        return parallel;
    }

    /** What one run of {@code glob} loaded, read by {@code workers}. */
    private static Loaded load(Path files, String glob, String resourceKeys, int workers) throws IOException {
        Path data = Files.createTempDirectory("part-run");
        Path database = data.resolve("warehouse.duckdb");
        RunSummary summary = PipelineRuns.run(PipelineSpecs.toSpec(Specs.files("parts", files.toString(), glob, database.toString(),
                resourceKeys), "parts"), data, Map.of(), workers, "load-1");
        List<List<String>> counts = new ArrayList<>();
        summary.tables().forEach(table -> counts.add(List.of(table.table(), String.valueOf(table.rows()), String.valueOf(table.discardedRows()),
                String.valueOf(table.discardedValues()), String.valueOf(table.rejectedRecords()))));
        List<String> logs = DuckDbQueries.rows(data.resolve("catalog.duckdb"), "SELECT message FROM run_logs ORDER BY sequence").stream()
                .map(List::getFirst).toList();
        return new Loaded(database, counts, logs);
    }

    private record Loaded(Path database, List<List<String>> counts, List<String> logs) {
        List<List<String>> schema() {
            return DuckDbQueries.rows(database, "SELECT table_name, column_name, data_type, ordinal_position FROM information_schema.columns"
                    + " WHERE table_schema = 'raw' AND table_name NOT LIKE '\\_sluice%' ESCAPE '\\' ORDER BY table_name, ordinal_position");
        }

        /** The rows of a table, their ids too (the runs share a load id): a file's rows are numbered from its place either way. */
        List<List<String>> rows(String table) {
            return DuckDbQueries.rows(database, "SELECT * EXCLUDE (_sluice_load_id) FROM raw." + table + " ORDER BY ALL");
        }

        List<List<String>> unlinked() {
            return DuckDbQueries.rows(database, """
                    SELECT (SELECT count(*) FROM raw.items__tags) + (SELECT count(*) FROM raw.items__items)
                        + (SELECT count(*) FROM raw.items__items__notes)
                        - (SELECT count(*) FROM raw.items__tags t JOIN raw.items o ON t._sluice_parent_id = o._sluice_id)
                        - (SELECT count(*) FROM raw.items__items i JOIN raw.items o ON i._sluice_parent_id = o._sluice_id
                            AND i._sluice_root_id = o._sluice_id)
                        - (SELECT count(*) FROM raw.items__items__notes n JOIN raw.items__items i ON n._sluice_parent_id = i._sluice_id
                            AND n._sluice_root_id = i._sluice_root_id)""");
        }

        boolean spread() {
            return logs.stream().anyMatch(line -> line.contains("workers at once"));
        }

        List<String> again() {
            return logs.stream().filter(line -> line.contains("normalized again")).toList();
        }
    }
}
