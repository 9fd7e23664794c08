package io.sluice.catalog;

import java.time.Instant;

/** Forgets the history of runs that ended long ago; a run that has not ended is never touched. */
public interface RunHistoryStore {
    /** @return how many log lines of runs that ended before {@code time} were deleted */
    int deleteLogLinesOfRunsEndedBefore(Instant time);

    /**
     * Deletes the runs that ended before {@code time}, with their events, log lines and request ids.
     *
     * @return how many runs were deleted
     */
    int deleteRunsEndedBefore(Instant time);
}
