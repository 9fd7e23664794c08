package io.sluice.runs;

import io.quarkus.runtime.ShutdownEvent;
import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.NotFoundException;
import io.sluice.catalog.Page;
import io.sluice.catalog.PipelineRecord;
import io.sluice.catalog.PipelineRegistry;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunFilter;
import io.sluice.catalog.RunState;
import io.sluice.catalog.Trigger;
import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.ScheduleSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Starts the runs of registered pipelines' schedules when their slots come. Each tick looks at the pipelines the
 * catalog's index names as due or changed; per schedule of those, it runs the slots due since the schedule's mark in the
 * catalog (the late ones as the schedule's misfire and late-run policies say), moves the mark past them, keeps the next
 * slot's run SCHEDULED, and records in the index when the pipeline is next due. A slot runs under a request id made of
 * the schedule and the slot, which the catalog lets a pipeline use once: a restarted scheduler, or a second one over the
 * same catalog, never runs a slot twice, and the mark, moved only after the slots were started, loses none; the index
 * only says when to look, so a stale one delays a slot to the next look, never loses it.
 */
@ApplicationScoped
public class Scheduler {
    private static final Logger LOG = Logger.getLogger(Scheduler.class);
    private static final int PAGE = 500;
    /**
     * The most pipelines one tick looks at: the catalog names those due earliest first, so that a burst of registrations
     * (or a catalog of pipelines never looked at) is taken a share per tick, after the slots due.
     */
    private static final int MOST_LOOKS_PER_TICK = 200;
    /** How long a scheduler stays the one that ticks without renewing: a dead replica's schedules wait at most this. */
    private static final Duration TICK_TERM = Duration.ofSeconds(10);

    private final CatalogStore store;
    private final PipelineRegistry registry;
    private final SlotRuns runs;
    private final RunOwners owners;
    private final Clock clock;
    /** Who holds the tick term: each scheduler instance, so two in one process take turns as two replicas would. */
    private final String holder = UUID.randomUUID().toString();
    private ScheduledExecutorService ticks;

    @Inject
    Scheduler(CatalogStore store, PipelineRegistry registry, RunExecutor executor, RunOwners owners) {
        this(store, registry, executor, owners, Clock.systemUTC());
    }

    /** @param clock what "now" is on each tick: tests pass one they move by hand */
    Scheduler(CatalogStore store, PipelineRegistry registry, RunExecutor executor, RunOwners owners, Clock clock) {
        this(store, registry, (pipeline, requestId) -> executor.trigger(pipeline, requestId, Trigger.SCHEDULE, Optional.empty()),
                owners, clock);
    }

    /** @param runs starts the run of a slot: the executor's trigger, or for tests of many slots one that only records it */
    Scheduler(CatalogStore store, PipelineRegistry registry, SlotRuns runs, RunOwners owners, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.runs = runs;
        this.owners = owners;
        this.clock = clock;
    }

    /** Ticks every second from now on, until the service stops; called by the server, not by one-shot commands. */
    public synchronized void start() {
        if (ticks == null) {
            ticks = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("scheduler").daemon().factory());
            ticks.scheduleWithFixedDelay(this::tickSafely, 0, 1, TimeUnit.SECONDS);
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        close();
    }

    /** Stops ticking and hands the tick term over at once, to another replica (or a scheduler started next). */
    synchronized void close() {
        if (ticks != null) {
            ticks.shutdownNow();
        }
        store.releaseTickTerm(holder);
    }

    /** The next {@code count} times the pipeline's schedules start a run, earliest first; none while they are paused. */
    public List<Instant> upcoming(PipelineSpec spec, int count) {
        return ScheduleSlots.upcoming(spec, clock.instant(), count);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.errorf(e, "a scheduler tick failed; the next one tries again");
        }
    }

    /**
     * Handles every slot due by the clock's now, when this scheduler holds the tick term: of several replicas over one
     * catalog, one ticks at a time. It looks only at the pipelines the catalog's index names as due (or changed since the
     * last look), not at every registered one.
     */
    public void tick() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (!store.holdTickTerm(holder, now, TICK_TERM)) {
            return;
        }
        for (String pipeline : store.duePipelines(now, MOST_LOOKS_PER_TICK)) {
            try {
                look(pipeline, now);
            } catch (RuntimeException e) {
                // Still due in the index: the next tick tries again, and the pipelines after this one are not held up.
                LOG.errorf(e, "the schedules of pipeline %s were not handled; the next tick tries again", pipeline);
            }
        }
    }

    /** Runs the pipeline's due slots, keeps its next ones SCHEDULED, and records in the index when it is next due. */
    private void look(String pipeline, Instant now) {
        List<Run> scheduledRuns = scheduledRuns(pipeline);
        Optional<PipelineRecord> record = store.pipeline(pipeline);
        if (record.isEmpty()) {
            // Deleted since the last look: its forecast runs go too.
            scheduledRuns.forEach(store::discardScheduled);
            store.forgetDue(pipeline);
            return;
        }
        PipelineSpec spec;
        try {
            spec = registry.spec(record.get());
        } catch (InvalidSpecException e) {
            LOG.warnf("pipeline %s is not scheduled: its stored spec no longer validates: %s", pipeline, e.getMessage());
            store.markDue(pipeline, record.get().etag(), Optional.empty());
            return;
        }
        Map<String, Instant> marks = store.marks(pipeline);
        Set<String> forecast = new HashSet<>();
        Optional<Instant> due = Optional.empty();
        for (ScheduleSpec schedule : spec.schedules()) {
            Next next;
            try {
                Instant mark = Optional.ofNullable(marks.get(schedule.name())).orElseGet(() -> firstMark(spec, schedule, record.get(), now));
                next = tick(spec, schedule, now, mark, scheduledRuns);
            } catch (NotFoundException deleted) {
                // Deleted while its slots were started: the next tick finds it gone.
                return;
            }
            next.requestId().ifPresent(forecast::add);
            due = Stream.concat(due.stream(), next.due().stream()).min(Comparator.naturalOrder());
        }
        scheduledRuns.stream().filter(run -> !forecast.contains(run.requestId())).forEach(store::discardScheduled);
        store.markDue(pipeline, record.get().etag(), due);
    }

    /**
     * What follows a schedule's tick.
     *
     * @param requestId the request id of its next slot, kept as a SCHEDULED run; empty while it is paused
     * @param due when its next slot's run starts, and the pipeline is looked at again: paused or not, so that the slots
     *            passing while paused are marked as handled and are not run late on resume
     */
    private record Next(Optional<String> requestId, Optional<Instant> due) {
    }

    /**
     * The mark of a schedule seen for the first time. Its history starts when the version of the pipeline that has it
     * was stored, a slot due that very moment included: a slot that came before the scheduler first looked (many
     * pipelines registered at once are looked at a share per tick) is due like any other, not lost. A stored time later
     * than now (another server's clock ahead, or a test's clock) starts it now.
     */
    private Instant firstMark(PipelineSpec spec, ScheduleSpec schedule, PipelineRecord record, Instant now) {
        Instant stored = record.updateTime().isBefore(now) ? record.updateTime() : now;
        Instant mark = stored.truncatedTo(ChronoUnit.MICROS).minus(1, ChronoUnit.MICROS);
        store.markHandled(spec.name(), schedule.name(), mark);
        return mark;
    }

    private Next tick(PipelineSpec spec, ScheduleSpec schedule, Instant now, Instant mark, List<Run> scheduledRuns) {
        ScheduleSlots slots = new ScheduleSlots(spec.name(), schedule);
        ScheduleSlots.Due due = slots.due(mark, now);
        boolean paused = spec.schedulesPaused() || !schedule.active();
        if (!paused) {
            for (Instant slot : due.toRun()) {
                Run run = runs.start(spec.name(), slots.requestId(slot));
                LOG.debugf("slot %s of schedule '%s' of pipeline %s: run %s", slot, schedule.name(), spec.name(), run.id());
            }
        }
        // Slots that pass while paused are skipped, not made up for on resume.
        due.lastDue().ifPresent(last -> store.markHandled(spec.name(), schedule.name(), last));
        Optional<Instant> next = slots.next(due.lastDue().orElse(mark));
        Optional<Instant> nextDue = next.map(slots::runTime);
        if (paused) {
            return new Next(Optional.empty(), nextDue);
        }
        next.map(slots::requestId).filter(requestId -> scheduledRuns.stream().noneMatch(run -> run.requestId().equals(requestId)))
                .ifPresent(requestId -> forecast(spec.name(), requestId, now));
        return new Next(next.map(slots::requestId), nextDue);
    }

    /** The pipeline's SCHEDULED runs: its forecasts, and those of schedules that no longer fire them. */
    private List<Run> scheduledRuns(String pipeline) {
        RunFilter scheduled = new RunFilter(Optional.of(pipeline), Set.of(RunState.SCHEDULED), Optional.empty(), Optional.empty());
        List<Run> found = new ArrayList<>();
        String pageToken = "";
        do {
            Page<Run> page = store.runs(scheduled, PAGE, pageToken);
            found.addAll(page.items());
            pageToken = page.nextPageToken();
        } while (!pageToken.isEmpty());
        return found;
    }

    /** Starts the run of a slot: the executor's trigger, under the slot's request id. */
    @FunctionalInterface
    interface SlotRuns {
        /** @return the run started, or the one started earlier under the same request id */
        Run start(String pipeline, String requestId);
    }

    /** Keeps the next slot's run SCHEDULED, once: the catalog returns the one stored already. */
    private void forecast(String pipeline, String requestId, Instant now) {
        if (store.runByRequestId(pipeline, requestId).isEmpty()) {
            store.insertRun(new Run(UUID.randomUUID().toString(), pipeline, RunState.SCHEDULED, Trigger.SCHEDULE, requestId,
                    now, Optional.empty(), Optional.empty(), "", 1, Optional.empty(), Optional.empty(),
                    "", ""), owners.self());
        }
    }
}
