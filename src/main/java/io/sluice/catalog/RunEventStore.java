package io.sluice.catalog;

import java.util.List;

/** Where the events of runs are kept, in order, for watchers that come after the run. */
public interface RunEventStore {
    void appendEvent(StoredEvent event);

    /** A run's stored events in order. */
    List<StoredEvent> events(String runId);
}
