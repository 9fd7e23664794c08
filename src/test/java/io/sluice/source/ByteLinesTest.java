package io.sluice.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByteLinesTest {
    @Test
    void linesEndWhereBufferedReaderEndsThemEvenAcrossTheBuffersEdge() throws IOException {
        String longLine = "x".repeat(200_000);
        String[] texts = {"a\nb\r\nc\rd", "\n\n\r\n", "one", "", "last\n", longLine + "\r\n" + longLine, "é\r\nü\n"};
        for (String text : texts) {
            assertEquals(readLines(text), byteLines(text, 1 << 20), text.length() > 40 ? "long lines" : text);
            // A stream that hands over a byte at a time puts a buffer's edge between every \r and \n.
            assertEquals(readLines(text), byteLines(text, 1), text.length() > 40 ? "long lines, byte by byte" : text);
        }
    }

    @Test
    void aLineOfAsciiBytesSaysSo() throws IOException {
        ByteLines lines = new ByteLines(new ByteArrayInputStream("plain\ncafé\n".getBytes(StandardCharsets.UTF_8)));
        lines.next();
        assertEquals(true, lines.ascii());
        lines.next();
        assertEquals(false, lines.ascii());
    }

    private static List<String> readLines(String text) throws IOException {
        List<String> lines = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new StringReader(text));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
        }
        return lines;
    }

    private static List<String> byteLines(String text, int chunk) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        InputStream input = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] buffer, int offset, int length) {
                return super.read(buffer, offset, Math.min(length, chunk));
            }
        };
        ByteLines lines = new ByteLines(input);
        List<String> read = new ArrayList<>();
        while (lines.next()) {
            read.add(new String(lines.bytes(), lines.start(), lines.end() - lines.start(), StandardCharsets.UTF_8));
        }
        return read;
    }
}
