package io.sluice.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Newline-delimited JSON, a line at a time: one item in memory, and a malformed line is rejected on its own
 * (named by file and line) while the lines around it still load. Bytes that are not UTF-8 fail the file. Lines are
 * parsed from their bytes: decoding them to characters first, and Jackson reading those back, was a fifth of a
 * nested load's samples.
 */
final class JsonLinesReader implements FileReader {
    private static final ObjectReader ITEM = ItemJson.MAPPER.readerFor(Map.class);

    @Override
    public boolean read(InputStream input, String name, ItemSink sink) throws IOException {
        ByteLines lines = new ByteLines(input);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        long number = 0;
        while (lines.next()) {
            long at = ++number;
            byte[] bytes = lines.bytes();
            int start = lines.start();
            int end = lines.end();
            if (!lines.ascii()) {
                requireUtf8(utf8, bytes, start, end, name + ":" + at);
            }
            int first = firstNonBlank(bytes, start, end);
            if (first == end) {
                continue;
            }
            if (bytes[first] != '{') {
                String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
                sink.rejected(() -> name + ":" + at, "expected a JSON object, found " + preview(line));
                continue;
            }
            Map<String, Object> item;
            try {
                item = ITEM.readValue(bytes, start, end - start);
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

    /** JSON is UTF-8 and no guess at other bytes is safe: they fail the file, naming the line. */
    private static void requireUtf8(CharsetDecoder utf8, byte[] bytes, int start, int end, String line) {
        try {
            utf8.decode(ByteBuffer.wrap(bytes, start, end - start));
        } catch (CharacterCodingException e) {
            String detail = e instanceof MalformedInputException malformed
                    ? "malformed input of " + malformed.getInputLength() + " byte(s) in UTF-8" : e.toString();
            throw new SourceException(line + ": bytes that are not valid UTF-8 (" + detail + ")", false, e);
        }
    }

    /** The first byte that is not whitespace, or {@code end}: a blank line is skipped, as it always was. */
    private static int firstNonBlank(byte[] bytes, int start, int end) {
        int at = start;
        while (at < end && (bytes[at] == ' ' || bytes[at] == '\t' || bytes[at] == '\f' || bytes[at] == 0x0B
                || (bytes[at] >= 0x1C && bytes[at] <= 0x1F))) {
            at++;
        }
        return at;
    }

    private static String preview(String line) {
        String trimmed = line.strip();
        return trimmed.length() > 40 ? trimmed.substring(0, 37) + "..." : trimmed;
    }
}
