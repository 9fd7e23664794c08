package io.sluice.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A resource that reads changed files only: which files each run reads, and what a failed run leaves. */
class FilesystemChangesTest {
    private static final String KEYS = "changed_files_only: true\nfile_columns: { name: file }";

    @Test
    void onlyNewOrChangedFilesAreReadAndAFailedRunReadsThemAgain() throws Exception {
        FileRuns runs = new FileRuns("files-changed");
        Path first = runs.write("a.jsonl", "{\"id\": 1}\n");
        runs.write("b.jsonl", "{\"id\": 2}\n");
        runs.run("changed", "*.jsonl*", KEYS);
        assertEquals(List.of(List.of("a.jsonl", "1"), List.of("b.jsonl", "1")), readsPerFile(runs));

        runs.run("changed", "*.jsonl*", KEYS);
        assertEquals(List.of(List.of("a.jsonl", "1"), List.of("b.jsonl", "1")), readsPerFile(runs), "nothing changed, nothing read");

        Files.setLastModifiedTime(first, FileTime.from(Instant.now().plusSeconds(60)));
        runs.write("c.jsonl", "{\"id\": 3}\n");
        runs.run("changed", "*.jsonl*", KEYS);
        assertEquals(List.of(List.of("a.jsonl", "2"), List.of("b.jsonl", "1"), List.of("c.jsonl", "1")), readsPerFile(runs),
                "a touched file and a new one");

        runs.write("b.jsonl", "{\"id\": 2}\n{\"id\": 4}\n");
        Path broken = runs.write("d.jsonl.gz", "not gzip at all");
        FileRuns.assertContains(runs.failure("changed", "*.jsonl*", KEYS), "d.jsonl.gz");
        Files.delete(broken);
        runs.run("changed", "*.jsonl*", KEYS);
        assertEquals(List.of(List.of("a.jsonl", "2"), List.of("b.jsonl", "3"), List.of("c.jsonl", "1")), readsPerFile(runs),
                "b, read by the failed run whose state was not committed, is read again; once");
    }

    private static List<List<String>> readsPerFile(FileRuns runs) {
        return runs.rows("SELECT file, count(*) FROM raw.items GROUP BY file ORDER BY file");
    }
}
