package io.sluice.normalize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.schema.StagedCsv;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes rows in the {@link StagedCsv} dialect. A row is built in memory and handed to the file whole: a writer
 * call per value (each takes the writer's lock) was a fifth of a nested load's time. The row goes out as UTF-8 bytes
 * copied from the builder's own (Latin-1 for most text), not through a character writer, which widened every row to
 * characters and narrowed it back (a tenth of a nested load's samples).
 */
final class StagedFileWriter implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LARGE_ROW = 1 << 20;

    private final OutputStream out;
    private final StringBuilder row = new StringBuilder(256);
    private long written;
    private long longestLine;

    StagedFileWriter(Path file) throws IOException {
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }

    void writeRow(Object[] values, int count) throws IOException {
        row.setLength(0);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                row.append(StagedCsv.DELIMITER);
            }
            Object value = i < values.length ? values[i] : null;
            switch (value) {
                case null -> {
                }
                case Boolean bool -> row.append(bool ? "true" : "false");
                case Long number -> row.append(number.longValue());
                case Double number -> row.append(number.doubleValue());
                case BigDecimal decimal -> row.append(decimal.toPlainString());
                case Number number -> row.append(number);
                case String text -> quoted(text);
                case Values.Json json -> quoted(json(json.value()));
                case Map<?, ?> map -> quoted(json(map));
                case List<?> list -> quoted(json(list));
                case byte[] bytes -> quoted(hexEscaped(bytes));
                default -> quoted(value.toString());
            }
        }
        row.append('\n');
        byte[] bytes = row.toString().getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        written += bytes.length;
        longestLine = Math.max(longestLine, bytes.length);
        if (row.capacity() > LARGE_ROW) {
            // A huge value passed: do not hold its memory for the rest of the file.
            row.setLength(0);
            row.trimToSize();
        }
    }

    /** indexOf is an intrinsic: most text has no quote, and is written in one piece. */
    private void quoted(String text) {
        row.append(StagedCsv.QUOTE);
        int start = 0;
        for (int quote = text.indexOf(StagedCsv.QUOTE); quote >= 0; quote = text.indexOf(StagedCsv.QUOTE, start)) {
            row.append(text, start, quote + 1).append(StagedCsv.QUOTE);
            start = quote + 1;
        }
        row.append(text, start, text.length()).append(StagedCsv.QUOTE);
    }

    /** DuckDB reads {@code \xNN} escapes when it casts text to a blob. */
    private static String hexEscaped(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length * 4);
        for (byte b : bytes) {
            text.append(String.format("\\x%02X", b & 0xff));
        }
        return text.toString();
    }

    private static String json(Object value) throws JsonProcessingException {
        return JSON.writeValueAsString(value);
    }

    /** Bytes written so far. */
    long written() {
        return written;
    }

    /** The length in bytes of the longest row written so far, with its line end. */
    long longestLine() {
        return longestLine;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
