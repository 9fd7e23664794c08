package io.sluice.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalog.RunSummary;
import io.sluice.load.DuckDbSettings;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/** Each file format, plain and gzipped, read into a real DuckDB: the rows that land and the types of their columns. */
class FilesystemFormatsTest {
    private static final String PARQUET_ROWS = "SELECT * FROM (VALUES (1, 9.99::DECIMAL(9,2), DATE '2024-05-01',"
            + " TIMESTAMPTZ '2024-05-01 10:00:00+00', 'first', [1, 2], true, 1.5::DOUBLE),"
            + " (2, 0.50::DECIMAL(9,2), NULL, NULL, 'second', [], false, NULL))"
            + " AS t(id, price, day, taken, name, tags, active, ratio)";

    @Test
    void parquetColumnsKeepTheTypesTheFileDeclares() throws Exception {
        FileRuns runs = new FileRuns("files-parquet");
        runs.parquet("a.parquet", PARQUET_ROWS);
        RunSummary summary = runs.run("parquet", "*.parquet", "");

        assertEquals(List.of(new RunSummary.TableRows("items", 2)), summary.tables());
        assertEquals(List.of(List.of("id", "BIGINT"), List.of("price", "DECIMAL(9,2)"), List.of("day", "DATE"),
                List.of("taken", "TIMESTAMP WITH TIME ZONE"), List.of("name", "VARCHAR"), List.of("tags", "JSON"),
                List.of("active", "BOOLEAN"), List.of("ratio", "DOUBLE")), runs.columns("items"));
        assertEquals(List.of(List.of("1", "9.99", "2024-05-01", "2024-05-01 10:00:00", "first", "[1,2]", "true", "1.5"),
                        List.of("2", "0.50", "null", "null", "second", "[]", "false", "null")),
                runs.rows("SELECT id, price, day, strftime(taken AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S'), name, tags, active,"
                        + " ratio FROM raw.items ORDER BY id"));
    }

    @Test
    void aGzippedParquetFileIsReadFromItsStream() throws Exception {
        FileRuns runs = new FileRuns("files-parquet-gzip");
        runs.gzip("a.parquet.gz", FileRuns.bytes(runs.parquet("a.parquet.plain", PARQUET_ROWS)));
        runs.run("parquet-gzip", "*.parquet.gz", "");

        assertEquals(List.of(List.of("1", "9.99", "2024-05-01"), List.of("2", "0.50", "null")),
                runs.rows("SELECT id, price, day FROM raw.items ORDER BY id"));
        assertEquals(List.of("day", "DATE"), runs.columns("items").get(2));
    }

    @Test
    void jsonArraysAndLinesLoadPlainOrGzippedWithTheirFileColumns() throws Exception {
        FileRuns runs = new FileRuns("files-json");
        runs.write("1-array.json", "[\n {\"id\": 1, \"name\": \"a\"},\n {\"id\": 2, \"name\": \"b\"}\n]");
        runs.gzip("2-array.json.gz", "  [{\"id\": 3, \"name\": \"c\"}]".getBytes(StandardCharsets.UTF_8));
        runs.write("3-lines.json", "{\"id\": 4, \"name\": \"d\"}\n");
        runs.gzip("4-lines.ndjson.gz", "{\"id\": 5, \"name\": \"e\"}\n{\"id\": 6, \"name\": \"f\"}\n".getBytes(StandardCharsets.UTF_8));
        runs.write("5-explicit.txt", "[{\"id\": 7, \"name\": \"g\"}]");
        RunSummary summary = runs.run("json", "[1-4]-*", "file_columns: { name: _file_name, modified: _file_modified }");

        assertEquals(List.of(new RunSummary.TableRows("items", 6)), summary.tables());
        assertEquals(List.of(List.of("file_name", "VARCHAR"), List.of("file_modified", "TIMESTAMP WITH TIME ZONE"),
                List.of("id", "BIGINT"), List.of("name", "VARCHAR")), runs.columns("items"), "the file columns are declared");
        assertEquals(List.of(List.of("1", "a", "1-array.json"), List.of("2", "b", "1-array.json"), List.of("3", "c", "2-array.json.gz"),
                        List.of("4", "d", "3-lines.json"), List.of("5", "e", "4-lines.ndjson.gz"), List.of("6", "f", "4-lines.ndjson.gz")),
                runs.rows("SELECT id, name, file_name FROM raw.items ORDER BY id"));
        assertEquals(List.of(List.of("true")), runs.rows("SELECT bool_and(file_modified > now() - INTERVAL 1 HOUR) FROM raw.items"));

        runs.run("json-declared", "5-*", "table_name: declared\nformat: JSON_ARRAY");
        assertEquals(List.of(List.of("7", "g")), runs.rows("SELECT id, name FROM raw.declared"));
    }

    /**
     * A file of short lines but one long one, larger than DuckDB's memory limit for loads: its reader needs a buffer for
     * the long line and more memory than the limit while it reads the file, which the load is granted. Copied whole (a
     * CSV file) and staged as rows (the same rows from JSON lines), both load; so does a file of short lines alone larger
     * than the limit, read in small buffers.
     */
    @Test
    void aFileWithALongLineLoadsThoughItsReaderNeedsMoreThanTheMemoryLimit() throws Exception {
        FileRuns runs = new FileRuns("files-long-line");
        int rows = 600_000;
        String longText = "y".repeat(12_000_000);
        StringBuilder csv = new StringBuilder("id,text\n");
        StringBuilder json = new StringBuilder();
        for (int row = 0; row < rows; row++) {
            String text = row == rows / 2 ? longText : "a short text " + row;
            csv.append(row).append(",\"").append(text).append("\"\n");
            json.append("{\"id\": ").append(row).append(", \"text\": \"").append(text).append("\"}\n");
        }
        runs.write("rows.csv", csv.toString());
        runs.write("rows.jsonl", json.toString());
        runs.write("short.tsv", "id\ttext\n" + "1\ta short text\n".repeat(2 * rows));

        runs.run("long-line-csv", "rows.csv", "table_name: copied");
        runs.run("long-line-jsonl", "*.jsonl", "table_name: staged");
        runs.run("short-lines", "*.tsv", "table_name: short\nformat: CSV\ncsv: { delimiter: \"\\t\" }");

        for (String table : List.of("copied", "staged")) {
            assertEquals(List.of(List.of(String.valueOf(rows), "12000000")),
                    runs.rows("SELECT count(*), max(length(text)) FROM raw." + table), table);
        }
        assertEquals(List.of(List.of(String.valueOf(2 * rows))), runs.rows("SELECT count(*) FROM raw.short"));
    }

    /**
     * A load that needs more memory than DuckDB's limit gives (1MB: less than its reader's buffer) runs out of it, leaves
     * nothing, and is committed again with twice the memory until it fits: its rows are in the table once.
     */
    @Test
    void aLoadThatRunsOutOfDuckDbsMemoryIsCommittedAgainWithMore() throws Exception {
        FileRuns runs = new FileRuns("files-out-of-memory");
        StringBuilder csv = new StringBuilder("id,text\n");
        for (int row = 0; row < 200_000; row++) {
            csv.append(row).append(",text ").append(row).append('\n');
        }
        runs.write("rows.csv", csv.toString());

        RunSummary summary = runs.run("out-of-memory", "rows.csv", "write_disposition: merge\nprimary_key: [id]", new DuckDbSettings("1MB", 1));

        assertEquals(200_000, summary.rows());
        assertEquals(List.of(List.of("200000", "200000", "199999")), runs.rows("SELECT count(*), count(DISTINCT id), max(id) FROM raw.items"));
    }

    /**
     * A file of long lines is read with more memory than the settings' limit (128 MiB): when its load runs out of
     * memory, the retry gets twice that, not twice the settings' limit, which would be no more than the reader had.
     */
    @Test
    void aRetryGetsTwiceTheMostMemoryTheTryBeforeCouldUse() throws Exception {
        FileRuns runs = new FileRuns("files-out-of-memory-long-lines");
        StringBuilder csv = new StringBuilder("id,text\n0,").append("x".repeat(600_000)).append('\n');
        for (int row = 1; row < 200_000; row++) {
            csv.append(row).append(",text ").append(row).append('\n');
        }
        runs.write("rows.csv", csv.toString());
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() == Level.WARNING.intValue()) {
                    warnings.add(record instanceof ExtLogRecord extended ? extended.getFormattedMessage() : record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger destination = Logger.getLogger("io.sluice.load.DuckDbDestination");
        destination.addHandler(capture);
        try {
            runs.run("out-of-memory", "rows.csv", "write_disposition: merge\nprimary_key: [id]", new DuckDbSettings("1MB", 1));
        } finally {
            destination.removeHandler(capture);
        }

        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().endsWith("committing it again with 268MB"), warnings.getFirst());
        assertEquals(List.of(List.of("200000", "600000")), runs.rows("SELECT count(*), max(length(text)) FROM raw.items"));
    }

    @Test
    void csvOptionsSpellTheFile() throws Exception {
        FileRuns runs = new FileRuns("files-csv");
        Charset latin1 = StandardCharsets.ISO_8859_1;
        runs.write("cities.csv", "id;city;note\n1;Zürich;'a;b'\n2;Kraków?;'it\\'s'\n".replace("?", "")
                .getBytes(Charset.forName("windows-1250")));
        runs.gzip("raw.dat", "1|x\n2|y\n".getBytes(latin1));
        runs.run("csv", "cities.csv", "csv: { delimiter: \";\", quote: \"'\", escape: \"\\\\\", encoding: windows-1250 }");
        runs.run("csv-headerless", "raw.dat", "table_name: headerless\nformat: CSV\ncompression: GZIP\ncsv: { delimiter: \"|\", header: false }");

        assertEquals(List.of(List.of("1", "Zürich", "a;b"), List.of("2", "Kraków", "it's")),
                runs.rows("SELECT id, city, note FROM raw.items ORDER BY id"));
        assertEquals(List.of(List.of("column_1", "BIGINT"), List.of("column_2", "VARCHAR")), runs.columns("headerless"));
        assertEquals(List.of(List.of("1", "x"), List.of("2", "y")), runs.rows("SELECT * EXCLUDE (_sluice_load_id, _sluice_id)"
                + " FROM raw.headerless ORDER BY 1"));
    }

    @Test
    void aCursorInsideTheDataStillFiltersEveryFormat() throws Exception {
        FileRuns runs = new FileRuns("files-cursor");
        runs.parquet("a.parquet", "SELECT i AS id, TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL (i) HOUR AS at FROM range(1, 11) t(i)");
        RunSummary summary = runs.run("cursor", "*.parquet", "incremental: { cursor_path: at, initial_value: \"2024-01-01T05:00:00Z\" }");
        assertEquals(6, summary.tables().getFirst().rows(), "5 to 10 o'clock");

        runs.parquet("b.parquet", "SELECT i AS id, TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL (i) HOUR AS at FROM range(9, 13) t(i)");
        RunSummary next = runs.run("cursor", "*.parquet", "incremental: { cursor_path: at, initial_value: \"2024-01-01T05:00:00Z\" }");
        assertEquals(2, next.tables().getFirst().rows(), "11 and 12 o'clock: the rest are at or before the cursor");
    }
}
