package io.sluice.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * How far each schedule got: the last slot handled (run or skipped) per pipeline and schedule, so that a restarted
 * scheduler, or a second one over the same catalog, goes on from there instead of losing or repeating slots.
 */
public interface ScheduleStore {
    /** Every schedule's mark, by pipeline and then schedule: one read for a whole tick, however many schedules there are. */
    Map<String, Map<String, Instant>> marks();

    /**
     * Makes {@code holder} the one scheduler that ticks until {@code now + term}, when no other holder's term is still
     * running; the holder renews it on each tick. Replicas over one catalog thus tick one at a time, and when the holder
     * dies another takes over once its term ends.
     *
     * @return whether {@code holder} holds the term now
     */
    boolean holdTickTerm(String holder, Instant now, Duration term);

    /** Ends {@code holder}'s term, if it holds it: a scheduler stopping hands over at once instead of at its term's end. */
    void releaseTickTerm(String holder);

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
