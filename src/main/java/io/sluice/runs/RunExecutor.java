package io.sluice.runs;

import io.quarkus.runtime.ShutdownEvent;
import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.CatalogTime;
import io.sluice.catalog.NotFoundException;
import io.sluice.catalog.Page;
import io.sluice.catalog.PipelineRegistry;
import io.sluice.catalog.Refresh;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunFilter;
import io.sluice.catalog.RunState;
import io.sluice.catalog.RunSummary;
import io.sluice.catalog.Trigger;
import io.sluice.load.Destinations;
import io.sluice.load.LoadPackages;
import io.sluice.load.OwnedPackage;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.Problem;
import io.sluice.source.Sources;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Starts runs and sees them to an end. Each run executes on its own thread: a virtual one in a server, a platform one
 * in a one-shot command (see {@link #runThread}). A run waits PENDING, saying why, for its turn and the slots of the
 * limits it is under (see {@link ConcurrencyLimits}); they are always given back, whatever way the run ends.
 */
@ApplicationScoped
public class RunExecutor {
    private static final Logger LOG = Logger.getLogger(RunExecutor.class);
    private static final DateTimeFormatter LOAD_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSSSSS").withZone(ZoneOffset.UTC);

    private final CatalogStore store;
    private final PipelineRegistry registry;
    private final SluiceConfig config;
    private final Destinations destinations;
    private final LoadPackages packages;
    private final RunOwners owners;
    private final ConcurrencyLimits limits;
    private final RunObserver observer;
    private final Map<String, ActiveRun> active = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("run-timeouts").daemon().factory());
    private final CancelGrace grace;

    private record ActiveRun(RunChannel channel, RunControl control) {
    }

    RunExecutor(CatalogStore store, PipelineRegistry registry, SluiceConfig config, Destinations destinations, RunOwners owners,
                ConcurrencyLimits limits, Instance<RunObserver> observers) {
        this.store = store;
        this.observer = RunObserver.all(observers.stream().toList());
        this.owners = owners;
        this.registry = registry;
        this.config = config;
        this.destinations = destinations;
        this.packages = new LoadPackages(config.dataDir(), config.packages().keepCommitted());
        this.limits = limits;
        this.grace = new CancelGrace(config.runs().cancelGrace(), timeouts);
    }

    /**
     * Starts opening the connection a run of the spec will load through, while the caller goes on (a one-shot command
     * starting the catalog, then the run).
     */
    public void prepare(PipelineSpec spec) {
        destinations.prepare(spec.destination());
    }

    /**
     * Ends CRASHED, with a state change saying why, the runs a process that died left unfinished (see
     * {@link CrashedRuns}). Called by the commands that execute runs (serve, run), not at every start, so that API
     * client commands never open the catalog.
     *
     * @return the runs it ended CRASHED, oldest first
     */
    public List<Run> markCrashedRuns() {
        return new CrashedRuns(store, owners, registry, observer).mark();
    }

    /**
     * Whether the executor still answers: its timer thread, which ends runs that ran too long, runs a task within
     * {@code within}. False once the service is stopping. For the liveness check.
     */
    public boolean responsive(Duration within) {
        try {
            timeouts.schedule(() -> { }, 0, TimeUnit.MILLISECONDS).get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void stopRuns(@Observes ShutdownEvent shutdown) {
        active.values().forEach(run -> run.control().stop(RunState.CANCELLED, "the service is stopping"));
        timeouts.shutdownNow();
    }

    /**
     * Triggers a registered pipeline.
     *
     * @param requestId idempotency key: a second trigger with the same key returns the first run
     * @param refresh what the run drops or empties before it loads, if anything
     * @throws NotFoundException when no pipeline has that name
     * @throws InvalidRefreshException when the refresh does not fit the pipeline
     * @throws io.sluice.pipeline.InvalidSpecException when the registered spec no longer validates
     */
    public Run trigger(String pipeline, String requestId, Trigger trigger, Optional<Refresh> refresh) {
        PipelineSpec spec = registry.spec(pipeline);
        return start(spec, requestId, trigger, refresh);
    }

    /** Starts a run of a spec, registered or not, and returns it at once, PENDING. */
    public Run start(PipelineSpec spec, String requestId, Trigger trigger) {
        return start(spec, requestId, trigger, Optional.empty());
    }

    /**
     * Starts a run of a spec, registered or not, with a refresh, and returns it at once, PENDING.
     *
     * @throws InvalidRefreshException when the refresh does not fit the pipeline
     * @throws io.sluice.pipeline.InvalidSpecException when the spec names a limit not configured
     */
    public synchronized Run start(PipelineSpec spec, String requestId, Trigger trigger, Optional<Refresh> refresh) {
        List<Problem> problems = refresh.map(requested -> RefreshPlan.problems(requested, spec)).orElse(List.of());
        if (!problems.isEmpty()) {
            throw new InvalidRefreshException(problems);
        }
        limits.checked(spec);
        if (!requestId.isEmpty()) {
            Optional<Run> earlier = store.runByRequestId(spec.name(), requestId);
            if (earlier.isPresent()) {
                return claimed(spec, earlier.get(), refresh);
            }
        }
        Run run = new Run(UUID.randomUUID().toString(), spec.name(), RunState.PENDING, trigger, requestId, CatalogTime.now(),
                Optional.empty(), Optional.empty(), "", 1, Optional.empty(), refresh, "", "");
        // A run with nothing in its way is stored RUNNING with its state change, in one commit, before its thread starts.
        Optional<ConcurrencyLimits.Held> admitted = limits.tryEnter(spec, run.id());
        Optional<RunChannel.Start> start = admitted.map(held -> RunChannel.Start.of(run));
        Run stored;
        try {
            stored = store.insertRun(start.map(RunChannel.Start::run).orElse(run), owners.self(),
                    start.map(RunChannel.Start::stored).orElse(List.of()));
        } catch (RuntimeException e) {
            admitted.ifPresent(held -> limits.giveBack(spec.name(), held));
            throw e;
        }
        if (!stored.id().equals(run.id())) {
            admitted.ifPresent(held -> limits.giveBack(spec.name(), held));
            // Another process triggered with the same request id first.
            return claimed(spec, stored, refresh);
        }
        if (start.isPresent()) {
            RunChannel channel = channel(run, spec);
            channel.started(start.get());
            return begin(spec, channel, refresh, Optional.empty(), admitted);
        }
        return launch(spec, run, Optional.empty(), refresh, Optional.empty());
    }

    /** A run triggered earlier under the same request id; one a schedule left SCHEDULED starts now, in this process only. */
    private Run claimed(PipelineSpec spec, Run earlier, Optional<Refresh> refresh) {
        if (earlier.state() != RunState.SCHEDULED || !store.claimScheduled(earlier.id(), owners.self())) {
            return earlier.state() == RunState.SCHEDULED ? get(earlier.id()) : earlier;
        }
        return launchClaimed(spec, earlier, refresh);
    }

    /**
     * Starts the run of a schedule's slot that the scheduler claimed (turned PENDING for this process) from SCHEDULED,
     * without the catalog reads and write {@link #start} makes. One whose pipeline names a limit no longer configured
     * ends FAILED, saying why.
     */
    synchronized Run startClaimed(PipelineSpec spec, Run claimed) {
        List<Problem> problems = limits.problems(spec);
        if (!problems.isEmpty()) {
            RunChannel channel = channel(claimed.withState(RunState.PENDING), spec);
            String reason = new InvalidSpecException(spec.name(), problems).getMessage();
            Run failed = channel.change(current -> current.ended(RunState.FAILED, CatalogTime.now(), reason, Optional.empty()), reason);
            channel.end();
            return failed;
        }
        return launchClaimed(spec, claimed, Optional.empty());
    }

    private Run launchClaimed(PipelineSpec spec, Run claimed, Optional<Refresh> refresh) {
        RunChannel channel = channel(claimed.withState(RunState.PENDING), spec);
        channel.publish(new RunEvent.StateChanged(RunState.SCHEDULED, RunState.PENDING, "its schedule's slot came"));
        return launch(spec, channel.run(), Optional.of(channel), refresh, Optional.empty());
    }

    /**
     * Launches an ended run again, {@code reopened} PENDING with its next attempt (see {@link RunRetries}): from its
     * sealed package when it has one, which it owns from now on.
     *
     * @param ended the run as it ended, whose stored history the reopened run's events continue
     */
    Run relaunch(PipelineSpec spec, Run ended, Run reopened, String reason, Optional<OwnedPackage> sealed) {
        RunChannel channel = RunChannel.continuing(ended, Optional.of(spec), store, config.runs().watchBacklog(),
                config.runs().logs().maxLinesPerRun(), observer);
        channel.change(current -> reopened, reason);
        return launch(spec, reopened, Optional.of(channel), reopened.refresh(), sealed);
    }

    /** A new run's channel: its events stored, its log lines up to the configured bound, its observers told. */
    private RunChannel channel(Run run, PipelineSpec spec) {
        return new RunChannel(run, spec, store, config.runs().watchBacklog(), config.runs().logs().maxLinesPerRun(), observer);
    }

    /** Admits the run under its limits and starts its thread; a run with a history so far comes with its channel. */
    private Run launch(PipelineSpec spec, Run run, Optional<RunChannel> history, Optional<Refresh> refresh, Optional<OwnedPackage> sealed) {
        ConcurrencyLimits.Admission admission = limits.join(spec, run.id());
        if (admission instanceof ConcurrencyLimits.Admission.Skipped(String reason)) {
            sealed.ifPresent(OwnedPackage::close);
            // Through a channel, so that observers (metrics, alerts) see it end and its history says why.
            RunChannel channel = history.orElseGet(() -> channel(run, spec));
            Run skipped = channel.change(current -> current.ended(RunState.SKIPPED, CatalogTime.now(), reason, Optional.empty()), reason);
            channel.end();
            return skipped;
        }
        ((ConcurrencyLimits.Admission.Joined) admission).cancelFirst()
                .forEach(running -> stop(running, "cancelled by run " + run.id() + " (on_overlap CANCEL_RUNNING)"));
        return begin(spec, history.orElseGet(() -> channel(run, spec)), refresh, sealed, Optional.empty());
    }

    /** Starts the run's thread; a run admitted as it was stored holds its turn and slots already ({@code admitted}). */
    private Run begin(PipelineSpec spec, RunChannel channel, Optional<Refresh> refresh, Optional<OwnedPackage> sealed,
                      Optional<ConcurrencyLimits.Held> admitted) {
        ActiveRun activeRun = new ActiveRun(channel, new RunControl());
        active.put(channel.run().id(), activeRun);
        Thread thread = runThread(config.runs().platformThreads(), "run-" + channel.run().id())
                .unstarted(() -> RunLogContext.runAs(channel, () -> execute(spec, refresh, activeRun, sealed, admitted)));
        activeRun.control().runsOn(thread);
        thread.start();
        return channel.run();
    }

    /**
     * The thread a run executes on. A server runs thousands at once, waiting for next to nothing on virtual threads. A
     * one-shot command's run is on a platform thread: a virtual thread blocked on a socket (a PostgreSQL destination's)
     * leaves the JDK's poller thread in native code for the life of the process, and the JVM's exit waits up to 300 ms
     * for Java threads in native code (a one-shot load into PostgreSQL ended 0.36 s after its summary, one into DuckDB
     * 0.05 s). Its source is still called on virtual threads ({@link Extraction}), whose blocking calls a cut ends (the
     * SQL source reads its sockets on platform threads of its own, for the same reason); the destination is cut by
     * cancelling its statement, on any thread.
     */
    static Thread.Builder runThread(boolean platform, String name) {
        return platform ? Thread.ofPlatform().daemon().name(name) : Thread.ofVirtual().name(name);
    }

    /**
     * Asks a run to stop: it is CANCELLING until it reaches its next safe point, within the cancel grace, then ends
     * CANCELLED. A commit under way is never cut: a run whose commit ends first ends COMPLETED. A package it sealed is
     * kept for a retry.
     *
     * @throws RunEndedException when it has ended already
     */
    public Run cancel(String runId) {
        return stop(runId, "cancelled on request");
    }

    private Run stop(String runId, String reason) {
        ActiveRun run = active.get(runId);
        if (run == null) {
            Run stored = get(runId);
            if (stored.state().isTerminal()) {
                throw new RunEndedException("run " + runId + " has already ended " + stored.state());
            }
            return stored;
        }
        grace.stop(run.control(), run.channel().run().state(), RunState.CANCELLED, reason);
        return run.channel().change(current -> current.state().isTerminal() ? current : current.withState(RunState.CANCELLING),
                "cancel requested");
    }

    /** Watches a run: a snapshot first, then its live events; a run that has ended gives its stored history. */
    public RunWatch watch(String runId) {
        ActiveRun run = active.get(runId);
        if (run != null) {
            return run.channel().subscribe();
        }
        RunChannel history = new RunChannel(get(runId), store, Integer.MAX_VALUE);
        history.end();
        return history.subscribe();
    }

    /** @throws NotFoundException when there is no such run */
    public Run get(String runId) {
        ActiveRun run = active.get(runId);
        if (run != null) {
            return live(run.channel().run());
        }
        return store.run(runId).orElseThrow(() -> new NotFoundException("run '" + runId + "' does not exist"));
    }

    public Page<Run> list(RunFilter filter, int pageSize, String pageToken) {
        Page<Run> page = store.runs(filter, pageSize, pageToken);
        return new Page<>(page.items().stream().map(this::live).toList(), page.nextPageToken());
    }

    /**
     * The run with why it waits as it is now, when it waits in this process: the reason stored as it started waiting
     * is not written again each time the runs it waits for change.
     */
    private Run live(Run run) {
        return run.state() == RunState.PENDING ? limits.whyWaiting(run.id()).map(run::waiting).orElse(run) : run;
    }

    private void execute(PipelineSpec spec, Optional<Refresh> refresh, ActiveRun run, Optional<OwnedPackage> sealed,
                         Optional<ConcurrencyLimits.Held> admitted) {
        RunChannel channel = run.channel();
        RunControl control = run.control();
        // From the trigger on: a run that waits for its turn or a slot longer than its timeout ends as one that ran too long.
        ScheduledFuture<?> timeout = spec.timeout().map(limit -> timeouts.schedule(
                () -> control.stop(RunState.FAILED, "timed out after " + limit.toString().substring(2).toLowerCase()),
                limit.toMillis(), TimeUnit.MILLISECONDS)).orElse(null);
        RetryGuard retries = null;
        ConcurrencyLimits.Held held = null;
        try {
            held = admitted.isPresent() ? admitted.get() : limits.enter(spec, channel.run().id(), channel::waiting);
            control.checkStopped();
            if (admitted.isEmpty()) {
                channel.change(current -> current.started(CatalogTime.now()), RunChannel.Start.REASON);
            }
            // Time first, so a pipeline's packages sort oldest first; then the run, so that loads of two pipelines
            // into one dataset started in the same microsecond never share an id (in _sluice_loads, or a staging table).
            // A run resumed from its package loads it under the load id it was sealed with.
            String loadId = sealed.map(owned -> owned.sealed().orElseThrow().loadId())
                    .orElseGet(() -> LOAD_ID.format(CatalogTime.now()) + "-" + channel.run().id().substring(0, 8));
            retries = new RetryGuard(spec.retries(), channel, control);
            RunSummary summary;
            try (RunJob job = new RunJob(spec, refresh, Sources.open(spec.source(), destinations.secrets(), observer), loadId, destinations, packages, channel,
                    control, config.runs().progressInterval(), config.extract().workersOrCores())) {
                sealed.ifPresent(job::resume);
                summary = job.run(retries);
            }
            channel.conclude(new RunEvent.Summary(summary),
                    current -> current.ended(RunState.COMPLETED, CatalogTime.now(), "", Optional.of(summary)), "completed");
        } catch (Throwable failure) {
            end(channel, control, retries, failure);
        } finally {
            if (timeout != null) {
                timeout.cancel(false);
            }
            control.ended();
            sealed.ifPresent(OwnedPackage::close);
            try {
                if (held != null) {
                    held.close();
                }
            } finally {
                limits.leave(spec.name(), channel.run().id());
            }
            Thread.interrupted();
            channel.end();
            active.remove(channel.run().id());
        }
    }

    private static void end(RunChannel channel, RunControl control, RetryGuard retries, Throwable failure) {
        RunControl.Stop stop = control.stopReason();
        RunState finalState = stop == null ? RunState.FAILED : stop.finalState();
        String reason = stop != null ? stop.reason()
                : (retries != null && retries.retried() ? retries.attemptText() + " failed: " : "") + Failures.describe(failure);
        if (stop == null) {
            LOG.warnf(failure, "run %s failed", channel.run().id());
        }
        channel.conclude(new RunEvent.LogLine(finalState == RunState.CANCELLED ? RunEvent.LogLine.Level.WARN
                : RunEvent.LogLine.Level.ERROR, reason), current -> current.ended(finalState, CatalogTime.now(), reason, Optional.empty()),
                reason);
    }
}
