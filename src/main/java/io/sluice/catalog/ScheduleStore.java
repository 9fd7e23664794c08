package io.sluice.catalog;

import java.time.Instant;
import java.util.Optional;

/**
 * How far each schedule got: the last slot handled (run or skipped) per pipeline and schedule, so that a restarted
 * scheduler, or a second one over the same catalog, goes on from there instead of losing or repeating slots.
 */
public interface ScheduleStore {
    /** The last slot handled; empty when the schedule has not been seen yet. */
    Optional<Instant> lastSlot(String pipeline, String schedule);

    /** Records {@code slot} as handled; the mark only moves forward, so a slower scheduler never moves it back. */
    void markHandled(String pipeline, String schedule, Instant slot);

    /**
     * Turns a SCHEDULED run PENDING for the process {@code owner} that will execute it.
     *
     * @return false when the run is no longer SCHEDULED (another process claimed or discarded it)
     */
    boolean claimScheduled(String runId, String owner);

    /** Removes a SCHEDULED run whose slot no schedule fires any more (paused, changed, removed), with its request id. */
    void discardScheduled(Run run);
}
