package io.sluice.runs;

import io.sluice.catalog.PipelineRecord;
import io.sluice.catalog.PipelineRegistry;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.ScheduleLook;
import io.sluice.catalog.Trigger;
import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.ScheduleSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Works out, for a pipeline a tick looks at, from what the catalog holds of it (its record, marks and SCHEDULED runs),
 * which slots are due and what to store once their runs started; it reads and writes nothing itself.
 */
final class PipelineLooks {
    private static final Logger LOG = Logger.getLogger(PipelineLooks.class);

    private final PipelineRegistry registry;

    PipelineLooks(PipelineRegistry registry) {
        this.registry = registry;
    }

    /**
     * A pipeline looked at: what to store once the runs of its due slots started, its spec (empty when it is gone or no
     * longer validates), and those slots, each with its SCHEDULED run when one waits for it.
     */
    record Planned(ScheduleLook look, Optional<PipelineSpec> spec, List<Slot> slots) {
    }

    /** A due slot's request id, and the SCHEDULED run that its schedule kept for it, if any. */
    record Slot(String requestId, Optional<Run> scheduled) {
    }

    /**
     * Works out the pipeline's due slots and what to store once their runs started: its moved marks, its next slots' runs
     * kept SCHEDULED and when it is next due.
     */
    Planned look(String pipeline, Optional<PipelineRecord> record, Map<String, Instant> marks, List<Run> scheduledRuns,
                         Instant now) {
        if (record.isEmpty()) {
            // Deleted since the last look: its forecast runs go too.
            return new Planned(new ScheduleLook(pipeline, Optional.empty(), Map.of(), List.of(), scheduledRuns, Optional.empty()),
                    Optional.empty(), List.of());
        }
        Optional<String> etag = Optional.of(record.get().etag());
        PipelineSpec spec;
        try {
            spec = registry.spec(record.get());
        } catch (InvalidSpecException e) {
            LOG.warnf("pipeline %s is not scheduled: its stored spec no longer validates: %s", pipeline, e.getMessage());
            return new Planned(new ScheduleLook(pipeline, etag, Map.of(), List.of(), List.of(), Optional.empty()), Optional.empty(),
                    List.of());
        }
        Map<String, Instant> moved = new HashMap<>();
        Set<String> kept = new HashSet<>();
        List<Slot> slots = new ArrayList<>();
        List<Run> forecast = new ArrayList<>();
        Optional<Instant> due = Optional.empty();
        for (ScheduleSpec schedule : spec.schedules()) {
            Instant mark = marks.getOrDefault(schedule.name(), ScheduleSlots.firstMark(record.get().updateTime(), now));
            if (!marks.containsKey(schedule.name())) {
                moved.put(schedule.name(), mark);
            }
            Next next = tick(spec, schedule, now, mark);
            next.lastDue().ifPresent(last -> moved.put(schedule.name(), last));
            for (String requestId : next.toRun()) {
                kept.add(requestId);
                slots.add(new Slot(requestId, scheduledRuns.stream().filter(run -> run.requestId().equals(requestId)).findFirst()));
            }
            next.requestId().ifPresent(requestId -> {
                kept.add(requestId);
                if (scheduledRuns.stream().noneMatch(run -> run.requestId().equals(requestId))) {
                    forecast.add(scheduledRun(pipeline, requestId, now));
                }
            });
            due = Stream.concat(due.stream(), next.due().stream()).min(Comparator.naturalOrder());
        }
        List<Run> discarded = scheduledRuns.stream().filter(run -> !kept.contains(run.requestId())).toList();
        return new Planned(new ScheduleLook(pipeline, etag, moved, forecast, discarded, due), Optional.of(spec), slots);
    }

    /**
     * What follows a schedule's tick.
     *
     * @param toRun the request ids of the slots whose runs start now, oldest first (none while it is paused)
     * @param lastDue the latest slot due by now, the schedule's new mark; empty when none was
     * @param requestId the request id of its next slot, kept as a SCHEDULED run; empty while it is paused
     * @param due when its next slot's run starts, and the pipeline is looked at again: paused or not, so that the slots
     *            passing while paused are marked as handled and are not run late on resume
     */
    private record Next(List<String> toRun, Optional<Instant> lastDue, Optional<String> requestId, Optional<Instant> due) {
    }

    private Next tick(PipelineSpec spec, ScheduleSpec schedule, Instant now, Instant mark) {
        ScheduleSlots slots = new ScheduleSlots(spec.name(), schedule);
        ScheduleSlots.Due due = slots.due(mark, now);
        boolean paused = spec.schedulesPaused() || !schedule.active();
        List<String> toRun = paused ? List.of() : due.toRun().stream().map(slots::requestId).toList();
        // Slots that pass while paused are skipped, not made up for on resume.
        Optional<Instant> next = slots.next(due.lastDue().orElse(mark));
        Optional<Instant> nextDue = next.map(slots::runTime);
        return new Next(toRun, due.lastDue(), paused ? Optional.empty() : next.map(slots::requestId), nextDue);
    }

    /** The next slot's run, to be kept SCHEDULED. */
    private static Run scheduledRun(String pipeline, String requestId, Instant now) {
        return new Run(UUID.randomUUID().toString(), pipeline, RunState.SCHEDULED, Trigger.SCHEDULE, requestId,
                now, Optional.empty(), Optional.empty(), "", 1, Optional.empty(), Optional.empty(), "", "");
    }
}
