package io.sluice.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Tells the sink how many bytes were read, as they are read. */
final class CountingInputStream extends FilterInputStream {
    private final ItemSink sink;

    CountingInputStream(InputStream input, ItemSink sink) {
        super(input);
        this.sink = sink;
    }

    @Override
    public int read() throws IOException {
        int value = super.read();
        if (value >= 0) {
            sink.bytesRead(1);
        }
        return value;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int count = super.read(buffer, offset, length);
        if (count > 0) {
            sink.bytesRead(count);
        }
        return count;
    }
}
