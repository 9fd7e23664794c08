package io.sluice.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The lines of a byte stream as slices of one buffer, without decoding them: a line ends at {@code \n}, {@code \r\n}
 * or a lone {@code \r}, as {@link java.io.BufferedReader#readLine} ends it. A line longer than the buffer grows it.
 */
final class ByteLines {
    private final InputStream input;
    private byte[] buffer = new byte[1 << 16];
    /** The buffer holds bytes [start, end) not yet returned. */
    private int start;
    private int end;
    private boolean ended;
    private int lineStart;
    private int lineEnd;
    /** The bitwise or of the line's bytes: negative when one of them is not ASCII. */
    private int seen;

    ByteLines(InputStream input) {
        this.input = input;
    }

    /** Moves to the next line; false at the end of the stream. The line is then {@link #bytes} [{@link #start()}, {@link #end()}). */
    boolean next() throws IOException {
        int scanned = start;
        seen = 0;
        while (true) {
            for (int at = scanned; at < end; at++) {
                byte b = buffer[at];
                seen |= b;
                if (b == '\n' || b == '\r') {
                    if (b == '\r' && at + 1 == end && !ended) {
                        // A \r\n may be split by the buffer's end: read on before deciding.
                        scanned = at;
                        break;
                    }
                    lineStart = start;
                    lineEnd = at;
                    start = b == '\r' && at + 1 < end && buffer[at + 1] == '\n' ? at + 2 : at + 1;
                    return true;
                }
                scanned = at + 1;
            }
            if (ended) {
                if (start == end) {
                    return false;
                }
                lineStart = start;
                lineEnd = end;
                start = end;
                return true;
            }
            scanned -= start;
            fill();
            scanned += start;
        }
    }

    /** Keeps the unread bytes at the buffer's front (growing it when they fill it) and reads more behind them. */
    private void fill() throws IOException {
        int unread = end - start;
        if (unread == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        } else if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, unread);
        }
        start = 0;
        end = unread;
        int read = input.read(buffer, end, buffer.length - end);
        if (read < 0) {
            ended = true;
        } else {
            end += read;
        }
    }

    byte[] bytes() {
        return buffer;
    }

    int start() {
        return lineStart;
    }

    int end() {
        return lineEnd;
    }

    /** Whether every byte of the line is ASCII, which is valid in every charset a file here is read in. */
    boolean ascii() {
        return seen >= 0;
    }
}
