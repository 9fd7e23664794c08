package io.sluice.source.sql;

import io.sluice.source.ItemSink;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Keeps the items a source reads in a list; a rejected record fails the test. */
record CollectingSink(List<Map<String, Object>> items) implements ItemSink {
    @Override
    public boolean item(Map<String, Object> item, Supplier<String> origin) {
        items.add(item);
        return true;
    }

    @Override
    public void rejected(Supplier<String> origin, String reason) {
        throw new AssertionError(origin.get() + " rejected: " + reason);
    }

    @Override
    public void bytesRead(long bytes) {
    }
}
