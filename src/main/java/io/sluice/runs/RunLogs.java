package io.sluice.runs;

import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.NotFoundException;
import io.sluice.catalog.Page;
import io.sluice.catalog.StoredLogLine;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads the log lines runs stored — of runs going on and of runs that ended — a page at a time. */
@ApplicationScoped
public class RunLogs {
    private final CatalogStore store;

    RunLogs(CatalogStore store) {
        this.store = store;
    }

    /**
     * A run's log lines in order, each a {@link RunEvent.LogLine}.
     *
     * @throws NotFoundException when there is no such run
     * @throws io.sluice.catalog.InvalidPageTokenException when the token is not one this server issued
     */
    public Page<RecordedEvent> page(String runId, int pageSize, String pageToken) {
        if (store.run(runId).isEmpty()) {
            throw new NotFoundException("run '" + runId + "' does not exist");
        }
        Page<StoredLogLine> page = store.logLines(runId, pageSize, pageToken);
        return new Page<>(page.items().stream().map(RunEventCodec::decodeLine).toList(), page.nextPageToken());
    }
}
