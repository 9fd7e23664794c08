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
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes rows in the {@link StagedCsv} dialect. A row is built as UTF-8 bytes in a buffer of its own and handed to the
 * file whole: a writer call per value (each takes the writer's lock) was a fifth of a nested load's time, and a row built
 * as characters first was copied twice more on its way out (to a string, then to bytes), which with the quoting was
 * nearly half of a typed extract's time (bench/RESULTS-perf.md). Numbers and row ids are written as bytes directly.
 */
final class StagedFileWriter implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROW_BUFFER = 256;
    private static final int LARGE_ROW = 1 << 20;
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    private static final byte DELIMITER = (byte) StagedCsv.DELIMITER;
    private static final byte QUOTE = (byte) StagedCsv.QUOTE;

    private final OutputStream out;
    private byte[] row = new byte[ROW_BUFFER];
    private int length;
    private long written;
    private long longestLine;

    StagedFileWriter(Path file) throws IOException {
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }

    void writeRow(Object[] values, int count) throws IOException {
        length = 0;
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                put(DELIMITER);
            }
            Object value = i < values.length ? values[i] : null;
            switch (value) {
                case null -> {
                }
                case Boolean bool -> put(bool ? TRUE : FALSE);
                case Long number -> putLong(number);
                case Double number -> putAscii(Double.toString(number));
                case BigDecimal decimal -> putAscii(decimal.toPlainString());
                case Number number -> putAscii(number.toString());
                case RowIds.Id id -> quoted(id);
                case String text -> quoted(text);
                case Values.Json json -> quoted(json(json.value()));
                case Map<?, ?> map -> quoted(json(map));
                case List<?> list -> quoted(json(list));
                case byte[] bytes -> quoted(hexEscaped(bytes));
                default -> quoted(value.toString());
            }
        }
        put((byte) '\n');
        out.write(row, 0, length);
        written += length;
        longestLine = Math.max(longestLine, length);
        if (row.length > LARGE_ROW) {
            // A huge value passed: do not hold its memory for the rest of the file.
            row = new byte[ROW_BUFFER];
        }
    }

    /** Text between quotes, a quote inside doubled; in UTF-8 the quote's byte is never part of another character. */
    private void quoted(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        room(2 * bytes.length + 2);
        row[length++] = QUOTE;
        // indexOf is an intrinsic: most text has no quote, and is copied in one piece.
        if (text.indexOf(StagedCsv.QUOTE) < 0) {
            System.arraycopy(bytes, 0, row, length, bytes.length);
            length += bytes.length;
        } else {
            for (byte next : bytes) {
                row[length++] = next;
                if (next == QUOTE) {
                    row[length++] = QUOTE;
                }
            }
        }
        row[length++] = QUOTE;
    }

    /** A row id is text like any other, and its characters need no quote doubled. */
    private void quoted(RowIds.Id id) {
        room(RowIds.Id.LENGTH + 2);
        row[length++] = QUOTE;
        id.writeTo(row, length);
        length += RowIds.Id.LENGTH;
        row[length++] = QUOTE;
    }

    /** The digits of a number as {@link Long#toString} writes them, without the string. */
    private void putLong(long number) {
        room(20);
        if (number < 0) {
            row[length++] = '-';
        }
        int start = length;
        // Counted down from the negative side, which holds Long.MIN_VALUE too.
        long rest = number < 0 ? number : -number;
        do {
            row[length++] = (byte) ('0' - rest % 10);
            rest /= 10;
        } while (rest != 0);
        for (int low = start, high = length - 1; low < high; low++, high--) {
            byte digit = row[low];
            row[low] = row[high];
            row[high] = digit;
        }
    }

    /** Text all of whose characters are ASCII: a number's. */
    private void putAscii(String text) {
        room(text.length());
        for (int i = 0; i < text.length(); i++) {
            row[length++] = (byte) text.charAt(i);
        }
    }

    private void put(byte[] bytes) {
        room(bytes.length);
        System.arraycopy(bytes, 0, row, length, bytes.length);
        length += bytes.length;
    }

    private void put(byte next) {
        room(1);
        row[length++] = next;
    }

    private void room(int more) {
        if (row.length - length < more) {
            row = Arrays.copyOf(row, Math.max(2 * row.length, length + more));
        }
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
