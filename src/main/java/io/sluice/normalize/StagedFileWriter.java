package io.sluice.normalize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.schema.StagedCsv;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes rows in the {@link StagedCsv} dialect. */
final class StagedFileWriter implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Writer out;

    StagedFileWriter(Path file) throws IOException {
        this.out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
    }

    void writeRow(Object[] values, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.write(StagedCsv.DELIMITER);
            }
            Object value = i < values.length ? values[i] : null;
            switch (value) {
                case null -> {
                }
                case Boolean bool -> out.write(bool ? "true" : "false");
                case BigDecimal decimal -> out.write(decimal.toPlainString());
                case Number number -> out.write(number.toString());
                case String text -> quoted(text);
                case Values.Json json -> quoted(json(json.value()));
                case Map<?, ?> map -> quoted(json(map));
                case List<?> list -> quoted(json(list));
                case byte[] bytes -> quoted(hexEscaped(bytes));
                default -> quoted(value.toString());
            }
        }
        out.write('\n');
    }

    /** indexOf is an intrinsic: most text has no quote, and is written in one piece. */
    private void quoted(String text) throws IOException {
        out.write(StagedCsv.QUOTE);
        int start = 0;
        for (int quote = text.indexOf(StagedCsv.QUOTE); quote >= 0; quote = text.indexOf(StagedCsv.QUOTE, start)) {
            out.write(text, start, quote - start + 1);
            out.write(StagedCsv.QUOTE);
            start = quote + 1;
        }
        out.write(text, start, text.length() - start);
        out.write(StagedCsv.QUOTE);
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

    @Override
    public void close() throws IOException {
        out.close();
    }
}
