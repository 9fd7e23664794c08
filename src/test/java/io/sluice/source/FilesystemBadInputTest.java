package io.sluice.source;

import static io.sluice.source.FileRuns.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.catalog.RunSummary;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Files that cannot be read, or records in them that cannot: the run fails naming the file, or counts the record. */
class FilesystemBadInputTest {
    @Test
    void aCorruptParquetFileFailsTheRunNamingIt() throws Exception {
        FileRuns runs = new FileRuns("files-bad-parquet");
        runs.write("broken.parquet", "PAR1 this is not a parquet file PAR1");
        assertContains(runs.failure("bad-parquet", "*.parquet", ""), "broken.parquet", "not a readable Parquet file");
    }

    @Test
    void aBadOrTruncatedGzipStreamFailsTheRunNamingIt() throws Exception {
        FileRuns runs = new FileRuns("files-bad-gzip");
        runs.write("plain.jsonl.gz", "{\"id\": 1}\n");
        assertContains(runs.failure("bad-gzip", "plain.jsonl.gz", ""), "plain.jsonl.gz", "not a valid gzip stream");

        byte[] whole = FileRuns.bytes(runs.gzip("whole.jsonl.gz", "{\"id\": 1}\n".repeat(1000).getBytes(StandardCharsets.UTF_8)));
        runs.write("cut.jsonl.gz", Arrays.copyOf(whole, whole.length / 2));
        assertContains(runs.failure("cut-gzip", "cut.jsonl.gz", ""), "cut.jsonl.gz", "not a valid gzip stream");
    }

    @Test
    void aCsvRowWithTheWrongNumberOfFieldsIsCountedAndTheOthersLoad() throws Exception {
        FileRuns runs = new FileRuns("files-bad-csv");
        runs.write("rows.csv", "id,name\n1,a\n2\n3,c,extra\n4,d\n");
        RunSummary summary = runs.run("bad-csv", "rows.csv", "");
        assertEquals(List.of(new RunSummary.TableRows("items", 2, 0, 0, 2, 0)), summary.tables());
        assertEquals(List.of(List.of("1", "a"), List.of("4", "d")), runs.rows("SELECT id, name FROM raw.items ORDER BY id"));
    }

    @Test
    void bytesNotValidInTheDeclaredEncodingFailTheRunNamingTheLine() throws Exception {
        FileRuns runs = new FileRuns("files-bad-encoding");
        byte[] text = "id,name\n1,a\n2,b\n3,\u00ff\n".getBytes(StandardCharsets.ISO_8859_1);
        runs.write("latin.csv", text);
        assertContains(runs.failure("bad-encoding", "latin.csv", ""), "latin.csv:4: bytes that are not valid UTF-8");

        runs.write("latin.jsonl", "{\"id\": 1}\n{\"id\": 2, \"name\": \"\u00ff\"}\n".getBytes(StandardCharsets.ISO_8859_1));
        assertContains(runs.failure("bad-json-encoding", "latin.jsonl", "table_name: lines"),
                "latin.jsonl:2: bytes that are not valid UTF-8");

        runs.run("latin", "latin.csv", "csv: { encoding: ISO-8859-1 }");
        assertEquals(List.of(List.of("3", "\u00ff")), runs.rows("SELECT id, name FROM raw.items WHERE id = 3"));
    }

    @Test
    void aJsonArrayElementThatIsNotAnObjectIsCountedAndMalformedJsonFailsTheRun() throws Exception {
        FileRuns runs = new FileRuns("files-bad-json");
        runs.write("mixed.json", "[{\"id\": 1}, 2, [3], {\"id\": 4}]");
        RunSummary summary = runs.run("mixed-json", "mixed.json", "");
        assertEquals(List.of(new RunSummary.TableRows("items", 2, 0, 0, 2, 0)), summary.tables());

        runs.write("broken.json", "[{\"id\": 1},\n {\"id\": }]");
        assertContains(runs.failure("broken-json", "broken.json", "table_name: broken"), "broken.json: malformed JSON",
                "line 2");
    }

    @Test
    void anUnknownEncodingIsRefusedInTheSpecWithItsFieldPath() throws Exception {
        FileRuns runs = new FileRuns("files-bad-charset");
        runs.write("rows.csv", "id\n1\n");
        assertContains(runs.failure("bad-charset", "rows.csv", "csv: { encoding: klingon-8 }"),
                "source.filesystem.resources[0].csv.encoding", "unknown charset 'klingon-8'");
    }
}
