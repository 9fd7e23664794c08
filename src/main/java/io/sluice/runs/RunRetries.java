package io.sluice.runs;

import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.DiscardedPackage;
import io.sluice.catalog.NotFoundException;
import io.sluice.catalog.PipelineRegistry;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.load.LoadPackages;
import io.sluice.load.OwnedPackage;
import io.sluice.load.PackageNotFoundException;
import io.sluice.pipeline.PipelineSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Retries an ended run under its own id, with its next attempt, back through PENDING (so its limits apply): an
 * operator's retry of a FAILED, CANCELLED or CRASHED run, and crash recovery's resume of a CRASHED run whose pipeline's
 * retry policy allows another attempt. A run that sealed a load package goes on from it — its completed jobs are not
 * redone, and it is committed once — and one that did not extracts again.
 */
@ApplicationScoped
public class RunRetries {
    private static final Logger LOG = Logger.getLogger(RunRetries.class);

    private final CatalogStore store;
    private final PipelineRegistry registry;
    private final RunExecutor executor;
    private final RunOwners owners;
    private final LoadPackages packages;

    RunRetries(CatalogStore store, PipelineRegistry registry, RunExecutor executor, RunOwners owners, SluiceConfig config) {
        this.store = store;
        this.registry = registry;
        this.executor = executor;
        this.owners = owners;
        this.packages = new LoadPackages(config.dataDir(), config.packages().keepCommitted());
    }

    /**
     * Retries a run on an operator's request; it is returned PENDING.
     *
     * @throws NotFoundException when there is no such run
     * @throws RunNotRetryableException when it has not ended FAILED, CANCELLED or CRASHED, its pipeline is gone, or
     *     its sealed package was discarded or committed by another run
     */
    public Run retry(String runId) {
        return retry(runId, "retried on request");
    }

    /**
     * Resumes the runs crash recovery found CRASHED whose pipeline is registered and whose retry policy allows another
     * attempt; the others stay CRASHED, and why is logged.
     *
     * @return the runs resumed, PENDING
     */
    public List<Run> resumeCrashed(List<Run> crashed) {
        List<Run> resumed = new ArrayList<>();
        for (Run run : crashed) {
            try {
                int attempts = registry.spec(run.pipeline()).retries().maxAttempts();
                if (run.attempt() >= attempts) {
                    LOG.infof("crashed run %s of pipeline %s is not resumed: it was attempt %d of %d", run.id(), run.pipeline(),
                            run.attempt(), attempts);
                    continue;
                }
                resumed.add(retry(run.id(), "resumed after a crash: attempt " + (run.attempt() + 1) + " of " + attempts));
            } catch (NotFoundException | RunNotRetryableException e) {
                LOG.warnf("crashed run %s of pipeline %s is not resumed: %s", run.id(), run.pipeline(), e.getMessage());
            }
        }
        return resumed;
    }

    /** One process's retries of a run follow each other; the catalog settles those of several processes. */
    private synchronized Run retry(String runId, String reason) {
        Run run = store.run(runId).orElseThrow(() -> new NotFoundException("run '" + runId + "' does not exist"));
        switch (run.state()) {
            case FAILED, CANCELLED, CRASHED -> {
            }
            case SCHEDULED, PENDING, RUNNING, RETRYING, CANCELLING, COMPLETED, SKIPPED -> throw new RunNotRetryableException("run "
                    + runId + " is " + run.state() + "; only a FAILED, CANCELLED or CRASHED run can be retried");
        }
        PipelineSpec spec;
        try {
            spec = registry.spec(run.pipeline());
        } catch (NotFoundException e) {
            throw new RunNotRetryableException("run " + runId + " cannot be retried: its pipeline " + run.pipeline()
                    + " is no longer registered");
        }
        Optional<OwnedPackage> sealed = sealedLoadId(run).map(loadId -> claim(run, loadId));
        try {
            Run reopened = run.reopened();
            if (!store.reopenRun(reopened, run.state(), owners.self())) {
                throw new RunNotRetryableException("run " + runId + " is being retried already");
            }
            LOG.infof("run %s of pipeline %s %s, attempt %d%s", runId, run.pipeline(), reason, reopened.attempt(),
                    sealed.map(owned -> ", from its load package " + owned.directory().getFileName()).orElse(", from its source"));
            return executor.relaunch(spec, run, reopened, reason, sealed);
        } catch (RuntimeException e) {
            sealed.ifPresent(OwnedPackage::close);
            throw e;
        }
    }

    /**
     * The load id of the package the run sealed, if it sealed one: a pending package whose manifest names the run (the
     * line that logs the seal is stored with the run's next write, which a crash may have prevented), else the one its
     * stored log lines name — committed or discarded since, then, as {@link #claim} explains.
     */
    private Optional<String> sealedLoadId(Run run) {
        return packages.pending(run.pipeline()).stream().filter(pending -> pending.sealedByRun().equals(run.id()))
                .map(LoadPackages.PendingPackage::loadId).reduce((first, last) -> last).or(() -> loggedLoadId(run.id()));
    }

    /**
     * The load id of the package the run sealed, as its stored log lines record, if it sealed one (catalogs written
     * before log lines had a table of their own kept them among the events).
     */
    private Optional<String> loggedLoadId(String runId) {
        return Stream.concat(store.events(runId).stream().map(RunEventCodec::decode), RunLogLines.all(store, runId).stream())
                .sorted(Comparator.comparingLong(RecordedEvent::sequence)).map(RecordedEvent::event)
                .filter(event -> event instanceof RunEvent.LogLine line && line.message().startsWith(RunJob.SEALED))
                .map(event -> ((RunEvent.LogLine) event).message().substring(RunJob.SEALED.length()))
                .map(message -> message.substring(0, message.indexOf(':')))
                .reduce((first, last) -> last);
    }

    /** The run's sealed package, now owned here; or why the run cannot go on from it. */
    private OwnedPackage claim(Run run, String loadId) {
        try {
            return packages.claim(run.pipeline(), loadId).orElseThrow(() -> new RunNotRetryableException("run " + run.id()
                    + " cannot be retried: its load package " + loadId + " is in use by a live run"));
        } catch (PackageNotFoundException e) {
            Run now = store.run(run.id()).orElse(run);
            Optional<DiscardedPackage> discarded = store.discardedPackages(run.pipeline()).stream()
                    .filter(thrownAway -> thrownAway.loadId().equals(loadId)).findFirst();
            String why = discarded.map(thrownAway -> "was discarded by " + thrownAway.discardedBy()
                            + (thrownAway.reason().isEmpty() ? "" : " (" + thrownAway.reason() + ")"))
                    .orElseGet(() -> now.resumedBy().isEmpty() ? "is gone: it was committed or removed"
                            : "was committed by run " + now.resumedBy());
            throw new RunNotRetryableException("run " + run.id() + " cannot be retried: its load package " + loadId + " " + why);
        }
    }
}
