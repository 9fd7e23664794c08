package io.sluice.source;

import java.util.Map;

/** Receives the items a source reads. May throw to stop the source (the run was cancelled). */
public interface ItemSink {
    /**
     * One item: values are {@code String}, {@code Long}, {@code BigInteger}, {@code Double}, {@code BigDecimal},
     * {@code Boolean}, {@code null}, nested {@code Map<String, Object>} or {@code List<Object>}.
     */
    void item(Map<String, Object> item);

    /** The source has read {@code bytes} more bytes of input. */
    void bytesRead(long bytes);
}
