package io.sluice.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How far each schedule got: the last slot handled (run or skipped) per pipeline and schedule, so that a restarted
 * scheduler, or a second one over the same catalog, goes on from there instead of losing or repeating slots; and when
 * each pipeline's schedules are next due, so that a tick reads only those.
 */
public interface ScheduleStore {
    /** The marks of the pipelines' schedules, by pipeline and schedule; a pipeline without marks is not in it. */
    Map<String, Map<String, Instant>> marks(Collection<String> pipelines);

    /** The SCHEDULED runs of the pipelines: their forecasts, and those of schedules that no longer fire them. */
    List<Run> scheduledRuns(Collection<String> pipelines);

    /**
     * The pipelines whose schedules a tick at {@code now} looks at, at most {@code most}, those due earliest first: those
     * with a slot due by now, and those registered, changed or deleted since the scheduler last looked at them. The rest
     * are not read at all, however many pipelines there are.
     */
    List<String> duePipelines(Instant now, int most);

    /** The earliest time after {@code now} that the index says a pipeline's schedules are due; empty when none is. */
    Optional<Instant> nextDue(Instant now);

    /**
     * Records that the scheduler looked at the pipeline as it is at {@code etag}, and when its schedules are next due;
     * empty: never, unless the pipeline changes.
     */
    void markDue(String pipeline, String etag, Optional<Instant> due);

    /** Forgets when a deleted pipeline's schedules were due. */
    void forgetDue(String pipeline);

    /**
     * Stores what the scheduler's looks at pipelines decided, all in one transaction (one commit however many pipelines
     * a tick looked at): the marks, which only move forward, so a slower scheduler never moves one back; the forecast
     * runs, owned by {@code owner}, each stored once per request id; the discarded SCHEDULED runs, unless another
     * process claimed them first; and the index rows.
     */
    void storeLooks(List<ScheduleLook> looks, String owner);

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

    /**
     * Turns a SCHEDULED run PENDING for the process {@code owner} that will execute it.
     *
     * @return false when the run is no longer SCHEDULED (another process claimed or discarded it)
     */
    boolean claimScheduled(String runId, String owner);

    /**
     * Turns SCHEDULED runs PENDING for the process {@code owner}, in one write.
     *
     * @return the ids of those claimed: not those no longer SCHEDULED (another process claimed or discarded them)
     */
    Set<String> claimScheduled(Collection<String> runIds, String owner);
}
