package io.sluice.runs;

import io.sluice.catalog.RunSummary;
import io.sluice.catalog.Stage;
import io.sluice.load.Destination;
import io.sluice.load.LoadListener;
import io.sluice.load.LoadPackage;
import io.sluice.load.LoadPackages;
import io.sluice.load.OwnedPackage;
import io.sluice.load.PackageLoader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The load stage of a run's attempts: the packages earlier runs of the pipeline left uncommitted, then the run's own,
 * each loaded job by job and committed exactly once. It remembers the earlier runs' packages it committed, and the
 * package whose load failed last while it stays uncommitted.
 */
final class PackageLoad {
    private final String pipeline;
    private final LoadPackages packages;
    private final RunChannel channel;
    private final RunControl control;
    private final RunReport report;
    private final List<RunSummary.ResumedLoad> resumed = new ArrayList<>();
    private LoadPackages.PendingPackage leftPending;

    PackageLoad(String pipeline, LoadPackages packages, RunChannel channel, RunControl control, RunReport report) {
        this.pipeline = pipeline;
        this.packages = packages;
        this.channel = channel;
        this.control = control;
        this.report = report;
    }

    /** The earlier runs' packages committed so far. */
    List<RunSummary.ResumedLoad> resumed() {
        return List.copyOf(resumed);
    }

    /** The package whose load failed last, unless a later attempt committed it. */
    Optional<LoadPackages.PendingPackage> leftPending() {
        return Optional.ofNullable(leftPending);
    }

    /**
     * Loads the packages earlier runs of this pipeline sealed but did not commit (they died, or the destination
     * failed), each exactly once: one the destination already holds was committed just before its run died, and is
     * only removed.
     */
    void resumePending(Destination destination) {
        for (OwnedPackage owned : packages.claimPending(pipeline)) {
            try (owned) {
                LoadPackage pending = owned.sealed().orElseThrow();
                control.checkStopped();
                if (destination.committed(pending.dataset(), pending.loadId())) {
                    report.log(RunEvent.LogLine.Level.INFO, "load " + pending.loadId() + " was committed by an earlier run; removing its package");
                    noLongerPending(pending.loadId());
                    owned.delete();
                    continue;
                }
                resume(destination, owned, pending);
            }
        }
    }

    private void resume(Destination destination, OwnedPackage owned, LoadPackage pending) {
        String sealedBy = owned.sealedByRun();
        Map<String, Long> tables = new LinkedHashMap<>();
        pending.jobs().forEach(job -> tables.merge(job.table(), job.rows(), Long::sum));
        long rows = tables.values().stream().mapToLong(Long::longValue).sum();
        String whose = sealedBy.isEmpty() ? "an earlier run" : "run " + sealedBy;
        report.log(RunEvent.LogLine.Level.INFO, "resuming load " + pending.loadId() + " (" + rows + " rows) sealed by " + whose
                + " that did not commit it");
        load(destination, owned);
        resumed.add(new RunSummary.ResumedLoad(pending.loadId(), sealedBy, rows, tables.entrySet().stream()
                .map(table -> new RunSummary.TableRows(table.getKey(), table.getValue())).toList()));
        if (!sealedBy.isEmpty()) {
            channel.resumedRun(sealedBy);
        }
        report.log(RunEvent.LogLine.Level.INFO, "committed resumed load " + pending.loadId() + " of " + whose + ": " + rows + " rows ("
                + tables.entrySet().stream().map(table -> table.getKey() + " " + table.getValue())
                .collect(Collectors.joining(", ")) + ")");
    }

    /**
     * Loads a sealed package, job by job, and commits it. A run asked to stop stops before its next job or before the
     * commit, never inside it. A failed or stopped load keeps the package and its completed jobs: the next attempt, a
     * retry of the run, or the pipeline's next run resumes it.
     */
    void load(Destination destination, OwnedPackage owned) {
        LoadPackage loadPackage = owned.sealed().orElseThrow();
        Map<String, ProgressMeter> meters = new HashMap<>();
        for (LoadPackages.LoadJob job : loadPackage.jobs()) {
            meters.computeIfAbsent(job.table(), table -> new ProgressMeter(table, table, Stage.LOAD, 0, Duration.ZERO, report::progress));
        }
        try {
            control.checkStopped();
            PackageLoader.load(owned, destination, new LoadListener() {
                @Override
                public void jobStarted(LoadPackage loading, LoadPackages.LoadJob job) {
                    control.checkStopped();
                    report.log(RunEvent.LogLine.Level.INFO, "loading job " + (job.index() + 1) + " of " + loading.jobs().size()
                            + " of load " + loading.loadId() + ": " + job.rows() + " rows of " + job.table());
                }

                @Override
                public void commitStarted(LoadPackage loading) {
                    control.committing();
                    report.log(RunEvent.LogLine.Level.INFO, "committing load " + loading.loadId() + ": its " + loading.jobs().size()
                            + " staged file(s) move into their tables in one transaction");
                }

                @Override
                public void fileLoaded(String table, long rows, long fileBytes) {
                    meters.get(table).add(rows, fileBytes);
                }

                @Override
                public void committing(LoadPackage loading, long rows) {
                    report.log(RunEvent.LogLine.Level.INFO, "load " + loading.loadId() + ": " + rows
                            + " rows in their tables and the load recorded; committing the transaction");
                }
            });
        } catch (RuntimeException e) {
            leftPending = owned.pending();
            if (control.stopped()) {
                report.log(RunEvent.LogLine.Level.INFO, "stopped before committing load " + loadPackage.loadId()
                        + "; its sealed package is kept for a retry");
            }
            throw e;
        } finally {
            control.committed();
        }
        noLongerPending(loadPackage.loadId());
        committed(owned);
    }

    /** Ends a committed package; one that cannot be removed (or kept) is only worth a warning: its load is done. */
    void committed(OwnedPackage owned) {
        try {
            owned.committed();
        } catch (UncheckedIOException e) {
            report.log(RunEvent.LogLine.Level.WARN, e.getMessage() + ": " + e.getCause().getMessage());
        }
    }

    private void noLongerPending(String committedLoadId) {
        if (leftPending != null && leftPending.loadId().equals(committedLoadId)) {
            leftPending = null;
        }
    }
}
