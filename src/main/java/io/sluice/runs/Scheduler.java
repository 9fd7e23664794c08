package io.sluice.runs;

import io.quarkus.runtime.ShutdownEvent;
import io.sluice.catalog.CatalogException;
import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.NotFoundException;
import io.sluice.catalog.PipelineRecord;
import io.sluice.catalog.PipelineRegistry;
import io.sluice.catalog.Run;
import io.sluice.catalog.ScheduleLook;
import io.sluice.pipeline.PipelineSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
    private final SlotRuns runs;
    private final RunOwners owners;
    private final Clock clock;
    private final PipelineLooks pipelineLooks;
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
        this.runs = runs;
        this.owners = owners;
        this.clock = clock;
        this.pipelineLooks = new PipelineLooks(registry);
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
        List<PipelineLooks.Planned> planned = new ArrayList<>();
        for (String pipeline : due) {
            try {
                planned.add(pipelineLooks.look(pipeline, Optional.ofNullable(records.get(pipeline)), marks.getOrDefault(pipeline, Map.of()),
                        scheduledRuns.getOrDefault(pipeline, List.of()), now));
            } catch (RuntimeException e) {
                // Still due in the index: the next tick tries again, and the pipelines after this one are not held up.
                LOG.errorf(e, "the schedules of pipeline %s were not handled; the next tick tries again", pipeline);
            }
        }
        Set<String> notStarted = started(planned);
        List<ScheduleLook> looks = planned.stream().map(PipelineLooks.Planned::look).filter(look -> !notStarted.contains(look.pipeline())).toList();
        long looked = System.nanoTime();
        stored(looks);
        LOG.debugf("tick at %s: %d pipelines due, read in %d ms, slots started in %d ms, stored in %d ms", now, due.size(),
                (read - started) / 1_000_000, (looked - read) / 1_000_000, (System.nanoTime() - looked) / 1_000_000);
        return due.size();
    }

    /**
     * Starts the runs of the pipelines' due slots: the SCHEDULED runs waiting for them claimed in one catalog write, each
     * other one triggered under its request id.
     *
     * @return the pipelines whose slots did not all start: their looks are not stored, so the next tick starts them again
     */
    private Set<String> started(List<PipelineLooks.Planned> planned) {
        List<Run> waiting = planned.stream().flatMap(pipeline -> pipeline.slots().stream()).flatMap(slot -> slot.scheduled().stream())
                .toList();
        Set<String> claimed = waiting.isEmpty() ? Set.of() : runs.claim(waiting);
        Set<String> notStarted = new HashSet<>();
        for (PipelineLooks.Planned pipeline : planned) {
            for (PipelineLooks.Slot slot : pipeline.slots()) {
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

}
