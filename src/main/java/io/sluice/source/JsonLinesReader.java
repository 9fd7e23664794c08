package io.sluice.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Newline-delimited JSON, a line at a time: one item in memory, and a malformed line is rejected on its own
 * (named by file and line) while the lines around it still load. Bytes that are not UTF-8 fail the file.
 */
final class JsonLinesReader implements FileReader {
    private static final ObjectReader ITEM = new ObjectMapper().readerFor(Map.class);

    @Override
    public boolean read(InputStream input, String name, ItemSink sink) throws IOException {
        BufferedReader lines = new BufferedReader(new DecodingReader(input, StandardCharsets.UTF_8), 1 << 16);
        long number = 0;
        String line;
        while ((line = next(lines, name)) != null) {
            long at = ++number;
            if (line.isBlank()) {
                continue;
            }
            if (line.stripLeading().charAt(0) != '{') {
                sink.rejected(() -> name + ":" + at, "expected a JSON object, found " + preview(line));
                continue;
            }
            Map<String, Object> item;
            try {
                item = ITEM.readValue(line);
            } catch (JsonProcessingException e) {
                sink.rejected(() -> name + ":" + at, "malformed JSON: " + e.getOriginalMessage());
                continue;
            }
            if (!sink.item(item, () -> name + ":" + at)) {
                return false;
            }
        }
        return true;
    }

    /** The next line; bytes that are not UTF-8 fail the file, since JSON is UTF-8 and no guess at them is safe. */
    private static String next(BufferedReader lines, String name) throws IOException {
        try {
            return lines.readLine();
        } catch (DecodingReader.InvalidBytesException e) {
            throw new SourceException(name + ":" + e.line() + ": bytes that are not valid UTF-8 (" + e.getMessage() + ")", false, e);
        }
    }

    private static String preview(String line) {
        String trimmed = line.strip();
        return trimmed.length() > 40 ? trimmed.substring(0, 37) + "..." : trimmed;
    }
}
