package io.sluice.runs;

import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.ScheduleSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The arithmetic of one schedule, free of I/O: which of its slots are due, which of them run when some are late, when
 * each runs (its jitter) and what request id it runs under.
 */
final class ScheduleSlots {
    /** Slots looked at in one go: a schedule down for years does not walk every slot it missed at once. */
    static final int MOST_SLOTS_PER_TICK = 100_000;

    private final String pipeline;
    private final ScheduleSpec schedule;

    ScheduleSlots(String pipeline, ScheduleSpec schedule) {
        this.pipeline = pipeline;
        this.schedule = schedule;
    }

    /**
     * What one tick at {@code now} does with the slots after {@code lastHandled}.
     *
     * @param toRun the slots to run, oldest first
     * @param lastDue the latest slot due by now, which becomes the schedule's mark; empty when none is due
     */
    record Due(List<Instant> toRun, Optional<Instant> lastDue) {
    }

    Due due(Instant lastHandled, Instant now) {
        List<Instant> late = new ArrayList<>();
        List<Instant> onTime = new ArrayList<>();
        Instant after = lastHandled;
        for (int seen = 0; seen < MOST_SLOTS_PER_TICK; seen++) {
            Optional<Instant> slot = schedule.timing().next(after);
            if (slot.isEmpty() || runTime(slot.get()).isAfter(now)) {
                break;
            }
            boolean isLate = Duration.between(runTime(slot.get()), now).compareTo(schedule.misfireGrace()) > 0;
            (isLate ? late : onTime).add(slot.get());
            after = slot.get();
        }
        List<Instant> toRun = new ArrayList<>(lateToRun(late));
        toRun.addAll(onTime);
        return new Due(toRun, after.equals(lastHandled) ? Optional.empty() : Optional.of(after));
    }

    /** One late slot is a misfire; several at once (the service was down or blocked) follow the late-run policy. */
    private List<Instant> lateToRun(List<Instant> late) {
        if (late.size() == 1) {
            return switch (schedule.misfire()) {
                case SKIP -> List.of();
                case RUN_ONCE_LATE -> late;
            };
        }
        return switch (schedule.lateRuns()) {
            case SKIP -> List.of();
            case COALESCE -> late.isEmpty() ? List.of() : List.of(late.getLast());
            case ALL -> late.subList(Math.max(0, late.size() - schedule.maxLateRuns()), late.size());
        };
    }

    /**
     * The mark of a schedule seen for the first time. Its history starts when the version of the pipeline that has it
     * was {@code stored}, a slot due that very moment included: a slot that came before the scheduler first looked (many
     * pipelines registered at once are looked at a share per tick) is due like any other, not lost. A stored time later
     * than now (another server's clock ahead, or a test's clock) starts it now.
     */
    static Instant firstMark(Instant stored, Instant now) {
        Instant start = stored.isBefore(now) ? stored : now;
        return start.truncatedTo(ChronoUnit.MICROS).minus(1, ChronoUnit.MICROS);
    }

    /** The first slot after {@code time}. */
    Optional<Instant> next(Instant time) {
        return schedule.timing().next(time);
    }

    /**
     * When a slot's run starts: the slot plus its jitter, a delay drawn from the slot itself, so that every server and
     * every restart agrees on it.
     */
    Instant runTime(Instant slot) {
        if (schedule.jitter().isZero()) {
            return slot;
        }
        long bound = schedule.jitter().toMillis() + 1;
        return slot.plusMillis(Math.floorMod(digest(requestId(slot)), bound));
    }

    /** The request id of a slot's run: the catalog lets a pipeline use it once, so no slot ever runs twice. */
    String requestId(Instant slot) {
        return "schedule:" + schedule.name() + "@" + slot;
    }

    /** The next {@code count} run times of the pipeline's active schedules after {@code now}, earliest first; none while paused. */
    static List<Instant> upcoming(PipelineSpec spec, Instant now, int count) {
        if (spec.schedulesPaused()) {
            return List.of();
        }
        List<Instant> times = new ArrayList<>();
        for (ScheduleSpec schedule : spec.schedules()) {
            if (!schedule.active()) {
                continue;
            }
            ScheduleSlots slots = new ScheduleSlots(spec.name(), schedule);
            Instant after = now;
            for (int i = 0; i < count; i++) {
                Optional<Instant> slot = slots.next(after);
                if (slot.isEmpty()) {
                    break;
                }
                times.add(slots.runTime(slot.get()));
                after = slot.get();
            }
        }
        return times.stream().sorted(Comparator.naturalOrder()).distinct().limit(count).toList();
    }

    private long digest(String requestId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((pipeline + "\n" + requestId).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(hash).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
