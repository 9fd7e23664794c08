package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * One validated schedule of a pipeline: when it fires ({@link ScheduleTiming}) and what happens to slots that are late.
 *
 * @param name unique among the pipeline's schedules; part of each slot's request id, so renaming starts a new history
 * @param active false: this schedule fires nothing
 * @param misfire what happens to a single slot reached later than {@code misfireGrace}
 * @param lateRuns what happens when several slots are late at once
 * @param maxLateRuns with {@link LateRuns#ALL}, the most late slots run (the latest ones)
 * @param jitter the most a run starts after its slot; each slot's delay is fixed by the slot itself ({@code ScheduleSlots})
 */
public record ScheduleSpec(
        String name,
        ScheduleTiming timing,
        boolean active,
        Misfire misfire,
        LateRuns lateRuns,
        int maxLateRuns,
        Duration misfireGrace,
        Duration jitter) {
    public static final Duration DEFAULT_MISFIRE_GRACE = Duration.ofMinutes(1);
    public static final int DEFAULT_MAX_LATE_RUNS = 10;
    public static final int MOST_LATE_RUNS = 1000;

    /** What happens to one slot reached too late. */
    public enum Misfire {
        SKIP,
        RUN_ONCE_LATE
    }

    /** What happens to several slots late at once. */
    public enum LateRuns {
        COALESCE,
        SKIP,
        ALL
    }

    public ScheduleSpec {
        requireNonNull(name, "name is null");
        requireNonNull(timing, "timing is null");
        requireNonNull(misfire, "misfire is null");
        requireNonNull(lateRuns, "lateRuns is null");
        if (maxLateRuns < 1 || maxLateRuns > MOST_LATE_RUNS) {
            throw new IllegalArgumentException("maxLateRuns is " + maxLateRuns);
        }
        requireNonNull(misfireGrace, "misfireGrace is null");
        requireNonNull(jitter, "jitter is null");
        if (jitter.compareTo(misfireGrace) >= 0 && !jitter.isZero()) {
            throw new IllegalArgumentException("jitter " + jitter + " is not shorter than misfireGrace " + misfireGrace);
        }
    }
}
