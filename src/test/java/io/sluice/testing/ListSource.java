package io.sluice.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.source.IncrementalWindow;
import io.sluice.source.ItemSink;
import io.sluice.source.Source;
import io.sluice.source.SourceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A source of one resource whose items are a list, given in order until the sink wants no more; it remembers the
 * incremental windows it was asked for, as a source that pushes them down would use them, and counts its
 * extractions in its source state.
 */
public final class ListSource implements Source {
    private final String resource;
    private final List<Map<String, Object>> items;
    private final List<Optional<IncrementalWindow>> windows = new ArrayList<>();
    private int offered;

    public ListSource(String resource, List<Map<String, Object>> items) {
        this.resource = resource;
        this.items = List.copyOf(items);
    }

    @Override
    public List<String> resources() {
        return List.of(resource);
    }

    @Override
    public void extract(String name, Optional<IncrementalWindow> window, SourceState state, ItemSink sink) {
        windows.add(window);
        // Counts its extractions in its own state, as a source that keeps a page token would keep that.
        ObjectNode kept = state.read();
        kept.put("extractions", kept.path("extractions").asInt() + 1);
        state.write(kept);
        for (int i = 0; i < items.size(); i++) {
            int line = i + 1;
            offered++;
            if (!sink.item(items.get(i), () -> name + ":" + line)) {
                return;
            }
        }
    }

    @Override
    public long totalBytes(String name) {
        return 0;
    }

    /** The windows extraction was asked for, one per extraction. */
    public List<Optional<IncrementalWindow>> windows() {
        return List.copyOf(windows);
    }

    /** How many items the sink was offered. */
    public int offered() {
        return offered;
    }
}
