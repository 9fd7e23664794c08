package io.sluice.source;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A copy being written into the load package (a CSV file's, or an SQL table's rows), buffered without a lock: its
 * writer puts a few bytes at a time (each row's id, the row), which a {@link java.io.BufferedOutputStream} would take one
 * locked call each.
 */
public final class CopyOutput implements AutoCloseable {
    private final OutputStream file;
    private final byte[] buffer;
    private int length;
    /** Bytes handed to the file so far. */
    private long flushed;

    public CopyOutput(Path copy, int size) throws IOException {
        this.file = Files.newOutputStream(copy);
        this.buffer = new byte[size];
    }

    public void write(byte[] bytes, int from, int count) throws IOException {
        if (count > buffer.length - length) {
            flush();
            if (count > buffer.length) {
                file.write(bytes, from, count);
                flushed += count;
                return;
            }
        }
        System.arraycopy(bytes, from, buffer, length, count);
        length += count;
    }

    public void write(byte next) throws IOException {
        if (length == buffer.length) {
            flush();
        }
        buffer[length++] = next;
    }

    /** Bytes written so far. */
    public long written() {
        return flushed + length;
    }

    private void flush() throws IOException {
        file.write(buffer, 0, length);
        flushed += length;
        length = 0;
    }

    @Override
    public void close() throws IOException {
        try (file) {
            flush();
        }
    }
}
