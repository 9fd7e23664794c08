package io.sluice.catalog;

/** Where runs' log lines are kept, for reading after the run. */
public interface RunLogStore {
    void appendLogLine(StoredLogLine line);

    /**
     * A run's log lines in order, a page at a time.
     *
     * @throws InvalidPageTokenException when this store did not issue the token
     */
    Page<StoredLogLine> logLines(String runId, int pageSize, String pageToken);

    /** The sequence of the run's last stored log line; 0 when it has none. */
    long lastLogLineSequence(String runId);
}
