package io.sluice.runs;

import io.quarkus.runtime.ShutdownEvent;
import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.NotFoundException;
import io.sluice.catalog.OwnedRun;
import io.sluice.catalog.Page;
import io.sluice.catalog.PipelineRecord;
import io.sluice.catalog.PipelineRegistry;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.Trigger;
import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.LabelSelector;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.ScheduleSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Starts the runs of registered pipelines' schedules when their slots come. Each tick, per schedule, it runs the slots
 * due since the schedule's mark in the catalog (the late ones as the schedule's misfire and late-run policies say),
 * moves the mark past them, and keeps the next slot's run SCHEDULED. A slot runs under a request id made of the
 * schedule and the slot, which the catalog lets a pipeline use once: a restarted scheduler, or a second one over the
 * same catalog, never runs a slot twice, and the mark, moved only after the slots were started, loses none.
 */
@ApplicationScoped
public class Scheduler {
    private static final Logger LOG = Logger.getLogger(Scheduler.class);
    private static final int PAGE = 500;
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
     * catalog, one ticks at a time.
     */
    public void tick() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (!store.holdTickTerm(holder, now, TICK_TERM)) {
            return;
        }
        Map<String, Map<String, Instant>> marks = store.marks();
        Map<String, List<Run>> scheduledRuns = store.unfinishedRuns().stream().map(OwnedRun::run)
                .filter(run -> run.state() == RunState.SCHEDULED).collect(Collectors.groupingBy(Run::pipeline));
        Set<String> seen = new HashSet<>();
        String pageToken = "";
        do {
            Page<PipelineRecord> page = registry.list(PAGE, pageToken, new LabelSelector(Map.of()));
            for (PipelineRecord record : page.items()) {
                seen.add(record.name());
                tick(record, now, marks.getOrDefault(record.name(), Map.of()), scheduledRuns.getOrDefault(record.name(), List.of()));
            }
            pageToken = page.nextPageToken();
        } while (!pageToken.isEmpty());
        // Pipelines deleted since: their forecast runs go too.
        scheduledRuns.forEach((pipeline, runs) -> {
            if (!seen.contains(pipeline)) {
                runs.forEach(store::discardScheduled);
            }
        });
    }

    private void tick(PipelineRecord record, Instant now, Map<String, Instant> marks, List<Run> scheduledRuns) {
        PipelineSpec spec;
        try {
            spec = registry.spec(record);
        } catch (InvalidSpecException e) {
            LOG.warnf("pipeline %s is not scheduled: its stored spec no longer validates: %s", record.name(), e.getMessage());
            return;
        }
        Set<String> forecast = new HashSet<>();
        for (ScheduleSpec schedule : spec.schedules()) {
            try {
                tick(spec, schedule, now, Optional.ofNullable(marks.get(schedule.name())), scheduledRuns).ifPresent(forecast::add);
            } catch (NotFoundException deleted) {
                return;
            }
        }
        scheduledRuns.stream().filter(run -> !forecast.contains(run.requestId())).forEach(store::discardScheduled);
    }

    /** @return the request id of the schedule's next slot, kept as a SCHEDULED run; empty while it is paused */
    private Optional<String> tick(PipelineSpec spec, ScheduleSpec schedule, Instant now, Optional<Instant> mark, List<Run> scheduledRuns) {
        ScheduleSlots slots = new ScheduleSlots(spec.name(), schedule);
        if (mark.isEmpty()) {
            // First seen now: its history starts here, a slot due this very moment included.
            mark = Optional.of(now.minus(1, ChronoUnit.MICROS));
            store.markHandled(spec.name(), schedule.name(), mark.get());
        }
        ScheduleSlots.Due due = slots.due(mark.get(), now);
        boolean paused = spec.schedulesPaused() || !schedule.active();
        if (!paused) {
            for (Instant slot : due.toRun()) {
                Run run = runs.start(spec.name(), slots.requestId(slot));
                LOG.debugf("slot %s of schedule '%s' of pipeline %s: run %s", slot, schedule.name(), spec.name(), run.id());
            }
        }
        // Slots that pass while paused are skipped, not made up for on resume.
        due.lastDue().ifPresent(last -> store.markHandled(spec.name(), schedule.name(), last));
        if (paused) {
            return Optional.empty();
        }
        Optional<Instant> next = slots.next(due.lastDue().orElse(mark.get()));
        next.map(slots::requestId).filter(requestId -> scheduledRuns.stream().noneMatch(run -> run.requestId().equals(requestId)))
                .ifPresent(requestId -> forecast(spec.name(), requestId, now));
        return next.map(slots::requestId);
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
