package io.sluice.runs;

import io.sluice.catalog.Refresh;
import io.sluice.catalog.RunSummary;
import io.sluice.catalog.Stage;
import io.sluice.load.Destination;
import io.sluice.load.Destinations;
import io.sluice.load.LoadPackage;
import io.sluice.load.LoadPackages;
import io.sluice.load.OwnedPackage;
import io.sluice.load.PackageContents;
import io.sluice.load.StoredPipeline;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineState;
import io.sluice.schema.Naming;
import io.sluice.schema.Schema;
import io.sluice.schema.TableFile;
import io.sluice.source.Source;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A run's work, attempted once or more: the states an attempt goes through. The first attempt extracts (see
 * {@link Extraction}), then normalize seals the package (see {@link PackagePlan}), then the package is loaded and
 * committed (see {@link PackageLoad}). The sealed package is the run's checkpoint: it stays owned by the run between
 * attempts, so an attempt after a failed load loads that package (its completed jobs are not redone), or finds it
 * committed, instead of extracting again; it is committed exactly once. Closing the job gives up a package that was
 * never committed, for the pipeline's next run to resume.
 */
final class RunJob implements AutoCloseable {
    /** How the log line that records the run's checkpoint begins; the load id follows, then a colon. */
    static final String SEALED = "sealed load package ";

    private final PipelineSpec spec;
    private final Optional<Refresh> refresh;
    private final String loadId;
    private final Destinations destinations;
    private final LoadPackages packages;
    private final RunChannel channel;
    private final RunControl control;
    private final RunReport report;
    private final Extraction extraction;
    private final PackageLoad packageLoad;
    private Destination destination;
    /** This run's package once sealed, until it is committed or given up. */
    private SealedPackage sealed;

    /**
     * @param source the spec's source, opened
     * @param extractWorkers how many workers read and normalize the parts of one resource at once
     */
    RunJob(PipelineSpec spec, Optional<Refresh> refresh, Source source, String loadId, Destinations destinations, LoadPackages packages,
           RunChannel channel, RunControl control, Duration progressInterval, int extractWorkers) {
        this.spec = spec;
        this.refresh = refresh;
        this.loadId = loadId;
        this.destinations = destinations;
        this.packages = packages;
        this.channel = channel;
        this.control = control;
        this.report = new RunReport(channel, loadId);
        this.extraction = new Extraction(spec, source, loadId, control, report, progressInterval, destinations.secrets(),
                extractWorkers);
        this.packageLoad = new PackageLoad(spec.name(), packages, channel, control, report);
    }

    /**
     * Starts from a package the run sealed before (a retry of the run, or its resume after a crash): its attempts load
     * that package, and do not extract again. Its rows per table are the package's; extract and normalize took no time.
     */
    void resume(OwnedPackage owned) {
        LoadPackage loadPackage = owned.sealed().orElseThrow(() -> new IllegalStateException("load package " + owned.directory()
                + " is not sealed"));
        if (!loadPackage.loadId().equals(loadId)) {
            throw new IllegalArgumentException("run job of load " + loadId + " cannot resume load " + loadPackage.loadId());
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        loadPackage.jobs().forEach(job -> rows.merge(job.table(), job.rows(), Long::sum));
        sealed = new SealedPackage(owned, rows.entrySet().stream().map(table -> new RunSummary.TableRows(table.getKey(), table.getValue()))
                .toList(), 0, Duration.ZERO, Duration.ZERO, loadPackage.newState().isPresent());
    }

    /**
     * Attempts the run as often as its retry policy allows. When the last failure leaves a package uncommitted, the
     * failure says which package, where, and how to act on it.
     */
    RunSummary run(RetryGuard retries) throws Exception {
        try {
            return retries.run(this::attempt);
        } catch (Exception failure) {
            if (packageLoad.leftPending().isEmpty() || control.stopped()) {
                throw failure;
            }
            throw new PackageLeftPendingException(packageLoad.leftPending().get(), failure);
        }
    }

    /** One attempt: from the sealed package when an earlier attempt of this run got that far, else from the source. */
    RunSummary attempt() {
        if (destination == null) {
            destination = destinations.open(spec.destination());
            control.onCancel(destination::cancel);
        }
        if (sealed == null) {
            sealed = extractAndNormalize();
        } else if (destination.committed(spec.dataset(), loadId)) {
            // The commit went through, but its answer was lost with the connection.
            report.log(RunEvent.LogLine.Level.INFO, "load " + loadId + " was committed by the attempt before; removing its package");
            packageLoad.committed(sealed.owned());
            return report.summary(sealed, Duration.ZERO, packageLoad.resumed());
        } else {
            report.log(RunEvent.LogLine.Level.INFO, "loading the package sealed by an earlier attempt, load " + loadId);
        }
        long loadStarted = System.nanoTime();
        LoadPackage loadPackage = sealed.owned().sealed().orElseThrow();
        report.log(RunEvent.LogLine.Level.INFO, "loading " + loadPackage.jobs().size() + " staged file(s) as load " + loadId
                + loadPackage.newSchema().map(schema -> ", changing the schema (version " + schema.version()
                + " when sealed; the commit numbers the new one)").orElse(""));
        packageLoad.load(destination, sealed.owned());
        RunSummary summary = report.summary(sealed, Duration.ofNanos(System.nanoTime() - loadStarted), packageLoad.resumed());
        report.log(RunEvent.LogLine.Level.INFO, "committed load " + loadId + ": " + summary.rows() + " rows"
                + (sealed.newState() ? ", with the new pipeline state" : ""));
        return summary;
    }

    /** Gives up a package no attempt committed: it stays on disk, and the pipeline's next run resumes it. */
    @Override
    public void close() {
        if (sealed != null) {
            sealed.owned().close();
        }
    }

    /**
     * Extract, then normalize: the earlier runs' packages are committed first, the source's items are normalized into
     * staged files as they stream in, then the normalize stage finishes the package — each table's rows counted and
     * reported, the schema and state the run leaves worked out, and the package sealed.
     */
    private SealedPackage extractAndNormalize() {
        long extractStarted = System.nanoTime();
        packageLoad.resumePending(destination);
        StoredPipeline storedPipeline = destination.storedPipeline(spec.name(), spec.dataset());
        Schema stored = storedPipeline.schema();
        PipelineState storedState = storedPipeline.state();
        RefreshPlan plan = RefreshPlan.of(refresh, spec, stored, storedState);
        refresh.ifPresent(requested -> report.log(RunEvent.LogLine.Level.INFO, plan.describe(requested)));
        OwnedPackage owned = packages.create(spec.name(), loadId);
        try {
            List<Extraction.Extracted> extracted = extraction.extractAll(plan, new Naming(destination.capabilities().maxIdentifierLength()),
                    owned.directory());
            Duration extract = Duration.ofNanos(System.nanoTime() - extractStarted);
            // A safe point between the stages: a run asked to stop during extract seals nothing.
            control.checkStopped();
            long normalizeStarted = System.nanoTime();
            List<NormalizedTable> tables = normalizedTables(extracted);
            PackageContents contents = PackagePlan.contents(spec, plan, stored, storedState, extracted);
            Map<String, Long> stagedBytes = contents.stagedFiles().stream()
                    .collect(Collectors.groupingBy(TableFile::table, Collectors.summingLong(RunJob::size)));
            owned.seal(contents, channel.run().id());
            Duration normalize = Duration.ofNanos(System.nanoTime() - normalizeStarted);
            tables.forEach(table -> table.meter().add(table.rows(), stagedBytes.getOrDefault(table.table(), 0L)));
            // The run's checkpoint: from here on, a run that dies leaves this package for the next run to load, or for its
            // own resume, which finds it by the run id its manifest records (this line is stored with the run's next write).
            report.log(RunEvent.LogLine.Level.INFO, SEALED + loadId + ": " + contents.stagedFiles().size() + " job(s)");
            return new SealedPackage(owned, extracted.stream().flatMap(resource -> RunReport.tableRows(resource).stream()).toList(),
                    extracted.stream().mapToLong(Extraction.Extracted::bytes).sum(), extract, normalize,
                    contents.commit().newState().isPresent());
        } catch (RuntimeException e) {
            // Not sealed: nothing of it can be loaded, and a next attempt extracts again.
            owned.delete();
            throw e;
        }
    }

    /** A table normalizing gave rows, with its meter in the normalize stage. */
    private record NormalizedTable(String table, long rows, ProgressMeter meter) {
    }

    /**
     * A normalize meter per table of each resource, started with the stage: each reports its table's rows and staged
     * bytes once the package is sealed, over the time the stage took (no interval: the one count is reported at once).
     */
    private List<NormalizedTable> normalizedTables(List<Extraction.Extracted> extracted) {
        return extracted.stream().flatMap(resource -> resource.normalized().counts().stream().map(count -> new NormalizedTable(
                count.table(), count.rows(), new ProgressMeter(resource.resource().name(), count.table(), Stage.NORMALIZE, 0,
                Duration.ZERO, report::progress)))).toList();
    }

    private static long size(TableFile file) {
        try {
            return Files.size(file.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of staged file " + file.file(), e);
        }
    }
}
