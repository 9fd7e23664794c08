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
 * <li>per schedule of those, starts the runs of the slots due since its mark (the late ones as the schedule's misfire
 * and late-run policies say), one trigger each;</li>
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
        List<ScheduleLook> looks = new ArrayList<>();
        for (String pipeline : due) {
            try {
                look(pipeline, Optional.ofNullable(records.get(pipeline)), marks.getOrDefault(pipeline, Map.of()),
                        scheduledRuns.getOrDefault(pipeline, List.of()), now).ifPresent(looks::add);
            } catch (RuntimeException e) {
                // Still due in the index: the next tick tries again, and the pipelines after this one are not held up.
                LOG.errorf(e, "the schedules of pipeline %s were not handled; the next tick tries again", pipeline);
            }
        }
        long looked = System.nanoTime();
        stored(looks);
        LOG.debugf("tick at %s: %d pipelines due, read in %d ms, slots started in %d ms, stored in %d ms", now, due.size(),
                (read - started) / 1_000_000, (looked - read) / 1_000_000, (System.nanoTime() - looked) / 1_000_000);
        return due.size();
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
     * Runs the pipeline's due slots, and says what to store: its moved marks, its next slots' runs kept SCHEDULED and
     * when it is next due; empty when it was deleted while its slots were started (the next tick finds it gone).
     */
    private Optional<ScheduleLook> look(String pipeline, Optional<PipelineRecord> record, Map<String, Instant> marks,
                                        List<Run> scheduledRuns, Instant now) {
        if (record.isEmpty()) {
            // Deleted since the last look: its forecast runs go too.
            return Optional.of(new ScheduleLook(pipeline, Optional.empty(), Map.of(), List.of(), scheduledRuns, Optional.empty()));
        }
        Optional<String> etag = Optional.of(record.get().etag());
        PipelineSpec spec;
        try {
            spec = registry.spec(record.get());
        } catch (InvalidSpecException e) {
            LOG.warnf("pipeline %s is not scheduled: its stored spec no longer validates: %s", pipeline, e.getMessage());
            return Optional.of(new ScheduleLook(pipeline, etag, Map.of(), List.of(), List.of(), Optional.empty()));
        }
        Map<String, Instant> moved = new HashMap<>();
        Set<String> kept = new HashSet<>();
        List<Run> forecast = new ArrayList<>();
        Optional<Instant> due = Optional.empty();
        for (ScheduleSpec schedule : spec.schedules()) {
            Instant mark = marks.containsKey(schedule.name()) ? marks.get(schedule.name()) : firstMark(record.get(), now);
            if (!marks.containsKey(schedule.name())) {
                moved.put(schedule.name(), mark);
            }
            Next next;
            try {
                next = tick(spec, schedule, now, mark);
            } catch (NotFoundException deleted) {
                return Optional.empty();
            }
            next.lastDue().ifPresent(last -> moved.put(schedule.name(), last));
            kept.addAll(next.started());
            next.requestId().ifPresent(requestId -> {
                kept.add(requestId);
                if (scheduledRuns.stream().noneMatch(run -> run.requestId().equals(requestId))) {
                    forecast.add(scheduledRun(pipeline, requestId, now));
                }
            });
            due = Stream.concat(due.stream(), next.due().stream()).min(Comparator.naturalOrder());
        }
        List<Run> discarded = scheduledRuns.stream().filter(run -> !kept.contains(run.requestId())).toList();
        return Optional.of(new ScheduleLook(pipeline, etag, moved, forecast, discarded, due));
    }

    /**
     * What follows a schedule's tick.
     *
     * @param started the request ids of the slots whose runs it started
     * @param lastDue the latest slot due by now, the schedule's new mark; empty when none was
     * @param requestId the request id of its next slot, kept as a SCHEDULED run; empty while it is paused
     * @param due when its next slot's run starts, and the pipeline is looked at again: paused or not, so that the slots
     *            passing while paused are marked as handled and are not run late on resume
     */
    private record Next(List<String> started, Optional<Instant> lastDue, Optional<String> requestId, Optional<Instant> due) {
    }

    /**
     * The mark of a schedule seen for the first time. Its history starts when the version of the pipeline that has it
     * was stored, a slot due that very moment included: a slot that came before the scheduler first looked (many
     * pipelines registered at once are looked at a share per tick) is due like any other, not lost. A stored time later
     * than now (another server's clock ahead, or a test's clock) starts it now.
     */
    private static Instant firstMark(PipelineRecord record, Instant now) {
        Instant stored = record.updateTime().isBefore(now) ? record.updateTime() : now;
        return stored.truncatedTo(ChronoUnit.MICROS).minus(1, ChronoUnit.MICROS);
    }

    private Next tick(PipelineSpec spec, ScheduleSpec schedule, Instant now, Instant mark) {
        ScheduleSlots slots = new ScheduleSlots(spec.name(), schedule);
        ScheduleSlots.Due due = slots.due(mark, now);
        boolean paused = spec.schedulesPaused() || !schedule.active();
        List<String> started = new ArrayList<>();
        if (!paused) {
            for (Instant slot : due.toRun()) {
                Run run = runs.start(spec.name(), slots.requestId(slot));
                started.add(slots.requestId(slot));
                LOG.debugf("slot %s of schedule '%s' of pipeline %s: run %s", slot, schedule.name(), spec.name(), run.id());
            }
        }
        // Slots that pass while paused are skipped, not made up for on resume.
        Optional<Instant> next = slots.next(due.lastDue().orElse(mark));
        Optional<Instant> nextDue = next.map(slots::runTime);
        return new Next(started, due.lastDue(), paused ? Optional.empty() : next.map(slots::requestId), nextDue);
    }

    /** Starts the run of a slot: the executor's trigger, under the slot's request id. */
    @FunctionalInterface
    interface SlotRuns {
        /** @return the run started, or the one started earlier under the same request id */
        Run start(String pipeline, String requestId);
    }

    /** The next slot's run, to be kept SCHEDULED. */
    private static Run scheduledRun(String pipeline, String requestId, Instant now) {
        return new Run(UUID.randomUUID().toString(), pipeline, RunState.SCHEDULED, Trigger.SCHEDULE, requestId,
                now, Optional.empty(), Optional.empty(), "", 1, Optional.empty(), Optional.empty(), "", "");
    }
}
