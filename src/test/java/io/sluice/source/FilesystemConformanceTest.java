package io.sluice.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The filesystem source passes the source suite: each batch of rows a JSON lines file of its own;
 * incremental runs read changed files only. */
class FilesystemConformanceTest extends SourceConformance {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path files = directory();
    private int batches;

    @Override
    protected String source(boolean incremental) {
        return """
                filesystem:
                  base_path: "%s"
                  resources:
                    - name: items
                      glob: "*.jsonl*"
                """.formatted(files) + (incremental
                ? "      changed_files_only: true\n      incremental: { cursor_path: id }\n      primary_key: [id]\n"
                : "      write_disposition: REPLACE\n");
    }

    @Override
    protected void add(List<Map<String, Object>> rows) {
        String lines = rows.stream().map(FilesystemConformanceTest::json).collect(Collectors.joining("\n", "", "\n"));
        write("batch-" + batches++ + ".jsonl", lines);
    }

    @Override
    protected String breakSource() {
        // A malformed line is counted, not fatal (the bad-record contract); a stream that is not gzip fails the file.
        write("broken.jsonl.gz", "not gzip at all");
        return "broken.jsonl.gz";
    }

    private void write(String file, String text) {
        try {
            Files.writeString(files.resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path directory() {
        try {
            return Files.createDirectories(data().resolve("files"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(Map<String, Object> row) {
        try {
            return JSON.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
