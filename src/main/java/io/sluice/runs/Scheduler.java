package io.sluice.runs;

import io.quarkus.runtime.ShutdownEvent;
import io.sluice.catalog.CatalogException;
import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.NotFoundException;
import io.sluice.catalog.PipelineRecord;
import io.sluice.catalog.PipelineRegistry;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.ScheduleLook;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Starts the runs of registered pipelines' schedules when their slots come. A tick, when this scheduler holds the tick
 * term (one scheduler over a catalog ticks at a time):
 * <ol>
 * <li>reads the pipelines the catalog's index names as due or changed (at most {@value #MOST_LOOKS_PER_TICK}, the
 * earliest due first), then their SCHEDULED runs, records and schedules' marks — one query each for all of them;</li>
 * <li>works out, per schedule of those, the slots due since its mark (the late ones as the schedule's misfire and
 * late-run policies say), and starts their runs: the SCHEDULED runs waiting for them claimed in one write, then each
 * launched (a slot without one is triggered under its request id);</li>
 * <li>stores every pipeline's moved marks, next slots' SCHEDULED runs, discarded forecasts and index rows in one
 * transaction (one per pipeline only when that one fails, so that one pipeline never holds up the others).</li>
 * </ol>
 * The next tick comes when the index says the next pipeline is due, at most a second later (to see pipelines
 * registered or changed), or at once while more pipelines were due than a tick looks at. A slot runs under a request id
 * made of the schedule and the slot, which the catalog lets a pipeline use once: a restarted scheduler, or a second one
 * over the same catalog, never runs a slot twice, and the mark, stored only after the slots were started, loses none;
 * the index only says when to look, so a stale one delays a slot to the next look, never loses it.
 */
@ApplicationScoped
public class Scheduler {
    private static final Logger LOG = Logger.getLogger(Scheduler.class);
    /**
     * The most pipelines one tick looks at: the catalog names those due earliest first, so that a burst of registrations
     * (or a catalog of pipelines never looked at) is taken a share per tick, after the slots due.
     */
    private static final int MOST_LOOKS_PER_TICK = 200;
    /** How long a scheduler stays the one that ticks without renewing: a dead replica's schedules wait at most this. */
    private static final Duration TICK_TERM = Duration.ofSeconds(10);
    /** The longest wait between ticks: how soon a pipeline registered or changed is looked at. */
    private static final Duration MOST_BETWEEN_TICKS = Duration.ofSeconds(1);

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
        this(store, registry, new ExecutorSlotRuns(executor, store, owners), owners, clock);
    }

    /** @param runs starts the runs of slots: the executor's, or for tests of many slots one that only records them */
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
            ticks.execute(this::tickSafely);
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

    /** Ticks, then waits for the next tick as the tick says; a tick that failed is tried again a second later. */
    private void tickSafely() {
        Duration wait = MOST_BETWEEN_TICKS;
        try {
            wait = ticked();
        } catch (RuntimeException e) {
            LOG.errorf(e, "a scheduler tick failed; the next one tries again");
        }
        try {
            ticks.schedule(this::tickSafely, wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            LOG.debug("the scheduler stopped");
        }
    }

    /**
     * Handles every slot due by the clock's now, when this scheduler holds the tick term: of several replicas over one
     * catalog, one ticks at a time. It looks only at the pipelines the catalog's index names as due (or changed since the
     * last look), not at every registered one.
     */
    public void tick() {
        ticked();
    }

    /** Ticks, and says how long until the next tick should come. */
    private Duration ticked() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (!store.holdTickTerm(holder, now, TICK_TERM)) {
            return MOST_BETWEEN_TICKS;
        }
        if (look(now) == MOST_LOOKS_PER_TICK) {
            return Duration.ZERO;
        }
        // Due after the tick's now: one that came while the tick worked is ticked for at once.
        return store.nextDue(now).map(due -> Duration.between(clock.instant(), due)).map(wait -> wait.isNegative() ? Duration.ZERO : wait)
                .filter(wait -> wait.compareTo(MOST_BETWEEN_TICKS) < 0).orElse(MOST_BETWEEN_TICKS);
    }

    /**
     * Looks at the pipelines due by {@code now}, reading what the looks need for all of them at once and storing what
     * they decided in one transaction.
     *
     * @return how many pipelines were due, at most {@link #MOST_LOOKS_PER_TICK}
     */
    private int look(Instant now) {
        long started = System.nanoTime();
        List<String> due = store.duePipelines(now, MOST_LOOKS_PER_TICK);
        if (due.isEmpty()) {
            return 0;
        }
        Map<String, List<Run>> scheduledRuns = store.scheduledRuns(due).stream().collect(Collectors.groupingBy(Run::pipeline));
        Map<String, PipelineRecord> records = store.pipelines(due).stream()
                .collect(Collectors.toMap(PipelineRecord::name, record -> record));
        Map<String, Map<String, Instant>> marks = store.marks(due);
        long read = System.nanoTime();
        List<Planned> planned = new ArrayList<>();
        for (String pipeline : due) {
            try {
                planned.add(look(pipeline, Optional.ofNullable(records.get(pipeline)), marks.getOrDefault(pipeline, Map.of()),
                        scheduledRuns.getOrDefault(pipeline, List.of()), now));
            } catch (RuntimeException e) {
                // Still due in the index: the next tick tries again, and the pipelines after this one are not held up.
                LOG.errorf(e, "the schedules of pipeline %s were not handled; the next tick tries again", pipeline);
            }
        }
        Set<String> notStarted = started(planned);
        List<ScheduleLook> looks = planned.stream().map(Planned::look).filter(look -> !notStarted.contains(look.pipeline())).toList();
        long looked = System.nanoTime();
        stored(looks);
        LOG.debugf("tick at %s: %d pipelines due, read in %d ms, slots started in %d ms, stored in %d ms", now, due.size(),
                (read - started) / 1_000_000, (looked - read) / 1_000_000, (System.nanoTime() - looked) / 1_000_000);
        return due.size();
    }

    /**
     * A pipeline looked at: what to store once the runs of its due slots started, its spec (empty when it is gone or no
     * longer validates), and those slots, each with its SCHEDULED run when one waits for it.
     */
    private record Planned(ScheduleLook look, Optional<PipelineSpec> spec, List<Slot> slots) {
    }

    /** A due slot's request id, and the SCHEDULED run that its schedule kept for it, if any. */
    private record Slot(String requestId, Optional<Run> scheduled) {
    }

    /**
     * Starts the runs of the pipelines' due slots: the SCHEDULED runs waiting for them claimed in one catalog write, each
     * other one triggered under its request id.
     *
     * @return the pipelines whose slots did not all start: their looks are not stored, so the next tick starts them again
     */
    private Set<String> started(List<Planned> planned) {
        List<Run> waiting = planned.stream().flatMap(pipeline -> pipeline.slots().stream()).flatMap(slot -> slot.scheduled().stream())
                .toList();
        Set<String> claimed = waiting.isEmpty() ? Set.of() : runs.claim(waiting);
        Set<String> notStarted = new HashSet<>();
        for (Planned pipeline : planned) {
            for (Slot slot : pipeline.slots()) {
                PipelineSpec spec = pipeline.spec().orElseThrow();
                try {
                    Run run = slot.scheduled().filter(scheduled -> claimed.contains(scheduled.id()))
                            .map(scheduled -> runs.startClaimed(spec, scheduled)).orElseGet(() -> runs.start(spec.name(), slot.requestId()));
                    LOG.debugf("slot %s of pipeline %s: run %s", slot.requestId(), spec.name(), run.id());
                } catch (NotFoundException deleted) {
                    // Deleted while its slots were started: the next tick finds it gone.
                    notStarted.add(spec.name());
                    break;
                } catch (RuntimeException e) {
                    LOG.errorf(e, "the schedules of pipeline %s were not handled; the next tick tries again", spec.name());
                    notStarted.add(spec.name());
                    break;
                }
            }
        }
        return notStarted;
    }

    /**
     * Stores the looks in one transaction; when that fails (one pipeline's rows met another process's write), each in a
     * transaction of its own, so that the others are stored all the same.
     */
    private void stored(List<ScheduleLook> looks) {
        try {
            store.storeLooks(looks, owners.self());
        } catch (CatalogException together) {
            for (ScheduleLook look : looks) {
                try {
                    store.storeLooks(List.of(look), owners.self());
                } catch (CatalogException e) {
                    // Its marks did not move: the next tick starts its slots again, which their request ids make harmless.
                    LOG.errorf(e, "the schedules of pipeline %s were not stored; the next tick looks again", look.pipeline());
                }
            }
        }
    }

    /**
     * Works out the pipeline's due slots and what to store once their runs started: its moved marks, its next slots' runs
     * kept SCHEDULED and when it is next due.
     */
    private Planned look(String pipeline, Optional<PipelineRecord> record, Map<String, Instant> marks, List<Run> scheduledRuns,
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

    /** Starts the runs of slots: by default each with {@link #start}, under the slot's request id. */
    @FunctionalInterface
    interface SlotRuns {
        /** @return the run started, or the one started earlier under the same request id */
        Run start(String pipeline, String requestId);

        /**
         * Claims for this process, at once, the SCHEDULED runs that wait for due slots, to be started by
         * {@link #startClaimed}; by default none is, and each slot's run is started by {@link #start}.
         *
         * @return the ids of the runs claimed
         */
        default Set<String> claim(List<Run> scheduled) {
            return Set.of();
        }

        /** Starts a run that {@link #claim} claimed. */
        default Run startClaimed(PipelineSpec spec, Run claimed) {
            return start(spec.name(), claimed.requestId());
        }
    }

    /** The next slot's run, to be kept SCHEDULED. */
    private static Run scheduledRun(String pipeline, String requestId, Instant now) {
        return new Run(UUID.randomUUID().toString(), pipeline, RunState.SCHEDULED, Trigger.SCHEDULE, requestId,
                now, Optional.empty(), Optional.empty(), "", 1, Optional.empty(), Optional.empty(), "", "");
    }
}
