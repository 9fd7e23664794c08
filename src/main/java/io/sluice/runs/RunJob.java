package io.sluice.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.catalog.CatalogTime;
import io.sluice.catalog.Refresh;
import io.sluice.catalog.RunSummary;
import io.sluice.catalog.Stage;
import io.sluice.load.Destination;
import io.sluice.load.Destinations;
import io.sluice.load.LoadListener;
import io.sluice.load.LoadPackage;
import io.sluice.load.LoadPackages;
import io.sluice.load.MergedTables;
import io.sluice.load.PackageLoader;
import io.sluice.normalize.NormalizeListener;
import io.sluice.normalize.NormalizedResource;
import io.sluice.normalize.ResourceNormalizer;
import io.sluice.normalize.TableCounts;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineState;
import io.sluice.pipeline.ResourceSpec;
import io.sluice.schema.Naming;
import io.sluice.schema.ReplaceStrategy;
import io.sluice.schema.Schema;
import io.sluice.schema.SchemaChange;
import io.sluice.schema.TableFile;
import io.sluice.schema.TableSchema;
import io.sluice.schema.WriteDisposition;
import io.sluice.source.Incremental;
import io.sluice.source.IncrementalWindow;
import io.sluice.source.ItemSink;
import io.sluice.source.Source;
import io.sluice.source.SourceState;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A run's work, attempted once or more: extract each resource and normalize its items into the load package as they
 * stream in (one item in memory per resource; resources in parallel, as many at once as there are cores), seal the
 * package, then load it job by job and commit it with the new schema version and pipeline state in one transaction. The sealed package
 * is the run's checkpoint: it stays owned by the run between attempts, so an attempt after a failed load loads that
 * package (its completed jobs are not redone), or finds it committed, instead of extracting again; it is committed
 * exactly once. Closing the job gives up a package that was never committed, for the pipeline's next run to resume.
 */
final class RunJob implements AutoCloseable {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final int PARALLEL_RESOURCES = Runtime.getRuntime().availableProcessors();

    private final PipelineSpec spec;
    private final Optional<Refresh> refresh;
    private final Source source;
    private final String loadId;
    private final Destinations destinations;
    private final LoadPackages packages;
    private final RunChannel channel;
    private final RunControl control;
    private final Duration progressInterval;
    private final long started = System.nanoTime();
    private volatile long peakHeap;
    private Destination destination;
    /** This run's package once sealed, until it is committed or given up. */
    private Sealed sealed;
    /** The earlier runs' packages this run committed. */
    private final List<RunSummary.ResumedLoad> resumed = new ArrayList<>();
    /** The package whose load failed last, while it stays uncommitted. */
    private LoadPackages.PendingPackage leftPending;

    /** @param source the spec's source, opened */
    RunJob(PipelineSpec spec, Optional<Refresh> refresh, Source source, String loadId, Destinations destinations, LoadPackages packages,
           RunChannel channel, RunControl control, Duration progressInterval) {
        this.spec = spec;
        this.refresh = refresh;
        this.source = source;
        this.loadId = loadId;
        this.destinations = destinations;
        this.packages = packages;
        this.channel = channel;
        this.control = control;
        this.progressInterval = progressInterval;
    }

    /** One resource extracted: its normalized tables, the bytes read, and where its incremental cursor stands. */
    private record Extracted(ResourceSpec resource, NormalizedResource normalized, long bytes, Optional<Incremental> incremental,
                             Optional<JsonNode> sourceState) {
    }

    /** What the attempt that sealed the package hands to the attempts that load it. */
    private record Sealed(LoadPackages.OwnedPackage owned, List<RunSummary.TableRows> tableRows, long bytes, Duration extract,
                          boolean newState) {
    }

    /**
     * Attempts the run as often as its retry policy allows. When the last failure leaves a package uncommitted, the
     * failure says which package, where, and how to act on it.
     */
    RunSummary run(RetryGuard retries) throws Exception {
        try {
            return retries.run(this::attempt);
        } catch (Exception failure) {
            if (leftPending == null || control.stopped()) {
                throw failure;
            }
            throw new PackageLeftPendingException(leftPending, failure);
        }
    }

    /** One attempt: from the sealed package when an earlier attempt of this run got that far, else from the source. */
    RunSummary attempt() {
        if (destination == null) {
            destination = destinations.open(spec.destination());
            control.onCancel(destination::cancel);
        }
        if (sealed == null) {
            sealed = extractAndSeal();
        } else if (destination.committed(spec.dataset(), loadId)) {
            // The commit went through, but its answer was lost with the connection.
            log(RunEvent.LogLine.Level.INFO, "load " + loadId + " was committed by the attempt before; removing its package");
            committed(sealed.owned());
            return summary(Duration.ZERO);
        } else {
            log(RunEvent.LogLine.Level.INFO, "loading the package sealed by an earlier attempt, load " + loadId);
        }
        long loadStarted = System.nanoTime();
        LoadPackage loadPackage = sealed.owned().sealed().orElseThrow();
        log(RunEvent.LogLine.Level.INFO, "loading " + loadPackage.files().size() + " staged file(s) as load " + loadId
                + loadPackage.newSchema().map(schema -> ", changing the schema (version " + schema.version()
                + " when sealed; the commit numbers the new one)").orElse(""));
        load(destination, sealed.owned(), loadPackage);
        Duration load = Duration.ofNanos(System.nanoTime() - loadStarted);
        RunSummary summary = summary(load);
        log(RunEvent.LogLine.Level.INFO, "committed load " + loadId + ": " + summary.rows() + " rows"
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

    private Sealed extractAndSeal() {
        long extractStarted = System.nanoTime();
        resumePending(destination);

        Schema stored = destination.storedSchema(spec.name(), spec.dataset());
        PipelineState storedState = destination.storedState(spec.name(), spec.dataset());
        RefreshPlan plan = RefreshPlan.of(refresh, spec, stored, storedState);
        refresh.ifPresent(requested -> log(RunEvent.LogLine.Level.INFO, describe(requested, plan)));
        Naming naming = new Naming(destination.maxIdentifierLength());
        List<? extends ResourceSpec> resources = source.resolve(spec.source().resources());
        LoadPackages.OwnedPackage owned = packages.create(spec.name(), loadId);
        try {
            List<Extracted> extracted = extractAll(resources, plan, naming, owned.directory());
            Duration extract = Duration.ofNanos(System.nanoTime() - extractStarted);
            List<TableFile> files = new ArrayList<>();
            List<RunSummary.TableRows> tableRows = new ArrayList<>();
            long bytes = 0;
            PipelineState state = plan.state();
            for (Extracted resource : extracted) {
                files.addAll(resource.normalized().files());
                tableRows.addAll(tableRows(resource));
                bytes += resource.bytes();
                if (resource.incremental().isPresent()) {
                    state = state.with(resource.resource().name(), resource.incremental().get().cursor());
                }
                if (resource.sourceState().isPresent()) {
                    state = state.withSourceState(resource.resource().name(), resource.sourceState());
                }
            }
            Schema evolved = evolved(stored, plan.schema(), extracted);
            Optional<Schema> newVersion = evolved.tables().equals(stored.tables()) ? Optional.empty() : Optional.of(evolved);
            Optional<PipelineState> newState = state.equals(storedState) ? Optional.empty() : Optional.of(state);
            owned.seal(new LoadPackage(spec.name(), spec.dataset(), loadId, files, newVersion, replaced(resources, evolved, plan),
                    MergedTables.of(resources, evolved, CatalogTime.now()), plan.droppedTables(), newState),
                    channel.run().id());
            // The run's checkpoint: from here on, a run that dies leaves this package for the next run to load.
            log(RunEvent.LogLine.Level.INFO, "sealed load package " + loadId + ": " + files.size() + " job(s)");
            return new Sealed(owned, List.copyOf(tableRows), bytes, extract, newState.isPresent());
        } catch (RuntimeException e) {
            // Not sealed: nothing of it can be loaded, and a next attempt extracts again.
            owned.delete();
            throw e;
        }
    }

    private RunSummary summary(Duration load) {
        return new RunSummary(
                sealed.tableRows(),
                List.of(new RunSummary.StageTime(Stage.EXTRACT, sealed.extract()), new RunSummary.StageTime(Stage.LOAD, load)),
                sealed.tableRows().stream().mapToLong(RunSummary.TableRows::rows).sum(),
                sealed.bytes(),
                Duration.ofNanos(System.nanoTime() - started),
                loadId,
                peakHeap,
                resumed);
    }

    /**
     * Loads the packages earlier runs of this pipeline sealed but did not commit (they died, or the destination
     * failed), each exactly once: one the destination already holds was committed just before its run died, and is
     * only removed.
     */
    private void resumePending(Destination destination) {
        for (LoadPackages.OwnedPackage owned : packages.claimPending(spec.name())) {
            try (owned) {
                LoadPackage pending = owned.sealed().orElseThrow();
                control.checkStopped();
                if (destination.committed(pending.dataset(), pending.loadId())) {
                    log(RunEvent.LogLine.Level.INFO, "load " + pending.loadId() + " was committed by an earlier run; removing its package");
                    noLongerPending(pending.loadId());
                    owned.delete();
                    continue;
                }
                String sealedBy = owned.sealedByRun();
                Map<String, Long> tables = new LinkedHashMap<>();
                pending.files().forEach(file -> tables.merge(file.table(), file.rows(), Long::sum));
                long rows = tables.values().stream().mapToLong(Long::longValue).sum();
                String whose = sealedBy.isEmpty() ? "an earlier run" : "run " + sealedBy;
                log(RunEvent.LogLine.Level.INFO, "resuming load " + pending.loadId() + " (" + rows + " rows) sealed by " + whose
                        + " that did not commit it");
                load(destination, owned, pending);
                resumed.add(new RunSummary.ResumedLoad(pending.loadId(), sealedBy, rows, tables.entrySet().stream()
                        .map(table -> new RunSummary.TableRows(table.getKey(), table.getValue())).toList()));
                if (!sealedBy.isEmpty()) {
                    channel.resumedRun(sealedBy);
                }
                log(RunEvent.LogLine.Level.INFO, "committed resumed load " + pending.loadId() + " of " + whose + ": " + rows + " rows ("
                        + tables.entrySet().stream().map(table -> table.getKey() + " " + table.getValue())
                        .collect(Collectors.joining(", ")) + ")");
            }
        }
    }

    /**
     * Loads a sealed package, job by job, and commits it. A stopped run (cancelled, timed out) gives its package up
     * and drops what it staged; a failed load keeps the package and its completed jobs, so the next attempt resumes it.
     */
    private void load(Destination destination, LoadPackages.OwnedPackage owned, LoadPackage loadPackage) {
        Map<String, ProgressMeter> meters = new HashMap<>();
        for (TableFile file : loadPackage.files()) {
            meters.computeIfAbsent(file.table(), table -> new ProgressMeter(table, table, Stage.LOAD, 0, Duration.ZERO, this::report));
        }
        try {
            control.checkStopped();
            PackageLoader.load(owned, destination, new LoadListener() {
                @Override
                public void jobStarted(LoadPackage loading, LoadPackages.LoadJob job) {
                    log(RunEvent.LogLine.Level.INFO, "loading job " + (job.index() + 1) + " of " + loading.files().size()
                            + " of load " + loading.loadId() + ": " + job.file().rows() + " rows of " + job.file().table());
                }

                @Override
                public void commitStarted(LoadPackage loading) {
                    log(RunEvent.LogLine.Level.INFO, "committing load " + loading.loadId() + ": its " + loading.files().size()
                            + " staged file(s) move into their tables in one transaction");
                }

                @Override
                public void fileLoaded(String table, long rows, long fileBytes) {
                    meters.get(table).add(rows, fileBytes);
                }

                @Override
                public void committing(LoadPackage loading, long rows) {
                    log(RunEvent.LogLine.Level.INFO, "load " + loading.loadId() + ": " + rows
                            + " rows in their tables and the load recorded; committing the transaction");
                }
            });
        } catch (RuntimeException e) {
            if (control.stopped()) {
                destination.discard(loadPackage);
                owned.delete();
            } else {
                leftPending = packages.pending(loadPackage.pipeline(), loadPackage.loadId());
            }
            throw e;
        }
        noLongerPending(loadPackage.loadId());
        committed(owned);
    }

    private void noLongerPending(String committedLoadId) {
        if (leftPending != null && leftPending.loadId().equals(committedLoadId)) {
            leftPending = null;
        }
    }

    /** Ends a committed package; one that cannot be removed (or kept) is only worth a warning: its load is done. */
    private void committed(LoadPackages.OwnedPackage owned) {
        try {
            owned.committed();
        } catch (UncheckedIOException e) {
            log(RunEvent.LogLine.Level.WARN, e.getMessage() + ": " + e.getCause().getMessage());
        }
    }

    /** Every resource on a virtual thread of its own, at most as many at once as there are cores. */
    private List<Extracted> extractAll(List<? extends ResourceSpec> resources, RefreshPlan plan, Naming naming, Path packageDirectory) {
        Semaphore cores = new Semaphore(PARALLEL_RESOURCES);
        List<Future<Extracted>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("extract-", 0).factory())) {
            for (ResourceSpec resource : resources) {
                futures.add(threads.submit(() -> {
                    cores.acquire();
                    try {
                        return extract(resource, plan, naming, packageDirectory);
                    } finally {
                        cores.release();
                    }
                }));
            }
            List<Extracted> extracted = new ArrayList<>();
            for (Future<Extracted> future : futures) {
                extracted.add(future.get());
            }
            return extracted;
        } catch (ExecutionException e) {
            futures.forEach(future -> future.cancel(true));
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            futures.forEach(future -> future.cancel(true));
            Thread.currentThread().interrupt();
            control.checkStopped();
            throw new IllegalStateException("interrupted while extracting", e);
        }
    }

    private Extracted extract(ResourceSpec resource, RefreshPlan plan, Naming naming, Path packageDirectory) {
        control.checkStopped();
        Optional<Incremental> incremental = resource.incremental().map(incrementalSpec -> new Incremental(incrementalSpec,
                resource.hints().primaryKey(), plan.state().cursor(resource.name())));
        log(RunEvent.LogLine.Level.INFO, "extracting resource " + resource.name() + " into table " + resource.tableName()
                + incremental.map(RunJob::describe).orElse(""));
        ProgressMeter meter = new ProgressMeter(resource.name(), resource.tableName(), Stage.EXTRACT,
                source.totalBytes(resource.name()), progressInterval, this::report);
        List<TableSchema> storedTables = plan.schema().tables().stream()
                .filter(table -> table.resource().equals(resource.name()))
                .toList();
        NormalizeListener listener = new NormalizeListener() {
            @Override
            public void schemaChanged(SchemaChange change) {
                channel.publish(new RunEvent.SchemaChanged(change));
            }

            @Override
            public void dropped(String table, String origin, String reason) {
                log(RunEvent.LogLine.Level.WARN, "table " + table + ": " + (origin.isEmpty() ? "" : origin + ": ") + reason);
            }
        };
        SourceState sourceState = new SourceState(plan.state().sourceState(resource.name()));
        NormalizedResource normalized;
        try (ResourceNormalizer normalizer = new ResourceNormalizer(resource.name(), resource.tableName(), resource.hints(),
                storedTables, naming, packageDirectory, loadId, listener)) {
            ItemSink normalizing = new ItemSink() {
                @Override
                public boolean item(Map<String, Object> item, Supplier<String> origin) {
                    control.checkStopped();
                    normalizer.add(item, origin);
                    meter.add(1, 0);
                    return true;
                }

                @Override
                public void rejected(Supplier<String> origin, String reason) {
                    normalizer.reject(origin, reason);
                }

                @Override
                public void bytesRead(long count) {
                    meter.add(0, count);
                }
            };
            source.extract(resource.name(), incremental.map(Incremental::window), sourceState,
                    incremental.map(filter -> filter.filter(normalizing)).orElse(normalizing));
            normalized = normalizer.finish();
        }
        meter.finish();
        incremental.filter(filter -> filter.filtered() > 0).ifPresent(filter -> log(RunEvent.LogLine.Level.INFO, "resource "
                + resource.name() + ": " + filter.filtered() + " item(s) outside the incremental window skipped"
                + (filter.duplicates() == 0 ? "" : ", " + filter.duplicates() + " of them loaded before at its start")));
        return new Extracted(resource, normalized, meter.bytes(), incremental, sourceState.changed());
    }

    /** Rows per table of one resource; items its incremental window left out count against its root table. */
    private static List<RunSummary.TableRows> tableRows(Extracted extracted) {
        long filtered = extracted.incremental().map(Incremental::filtered).orElse(0L);
        String root = extracted.resource().tableName();
        List<RunSummary.TableRows> rows = new ArrayList<>();
        for (TableCounts count : extracted.normalized().counts()) {
            rows.add(new RunSummary.TableRows(count.table(), count.rows(), count.discardedRows(), count.discardedValues(),
                    count.rejectedRecords(), count.table().equals(root) ? filtered : 0));
        }
        if (filtered > 0 && rows.stream().noneMatch(row -> row.table().equals(root))) {
            rows.add(new RunSummary.TableRows(root, 0, 0, 0, 0, filtered));
        }
        return rows;
    }

    private static String describe(Incremental incremental) {
        IncrementalWindow window = incremental.window();
        return ", incremental on " + String.join(".", window.cursorPath())
                + window.start().map(start -> " from " + start).orElse("")
                + window.end().map(end -> " to " + end + " (backfill: the stored cursor stays)").orElse("");
    }

    private static String describe(Refresh refresh, RefreshPlan plan) {
        return "refresh " + refresh.mode() + (refresh.resources().isEmpty() ? "" : " of " + String.join(", ", refresh.resources()))
                + (plan.droppedTables().isEmpty() ? "" : ": dropping " + String.join(", ", plan.droppedTables()))
                + (plan.emptiedTables().isEmpty() ? "" : ": emptying " + String.join(", ", plan.emptiedTables()))
                + " in the load's transaction, and resetting state";
    }

    /**
     * Every table of the resources that replace their rows, nested ones too, whether or not this load has rows for it,
     * and those a refresh empties (truncated, unless their resource replaces them its own way anyway).
     */
    private List<LoadPackage.ReplacedTable> replaced(List<? extends ResourceSpec> resources, Schema schema, RefreshPlan plan) {
        Map<String, ReplaceStrategy> replacing = resources.stream()
                .filter(resource -> resource.hints().writeDisposition() == WriteDisposition.REPLACE)
                .collect(Collectors.toMap(ResourceSpec::name, resource -> resource.hints().replaceStrategy()));
        Map<String, LoadPackage.ReplacedTable> tables = new LinkedHashMap<>();
        schema.tables().stream()
                .filter(table -> replacing.containsKey(table.resource()))
                .forEach(table -> tables.put(table.name(), new LoadPackage.ReplacedTable(table.name(), replacing.get(table.resource()),
                        table.columns())));
        for (String emptied : plan.emptiedTables()) {
            schema.table(emptied).ifPresent(table -> tables.putIfAbsent(emptied, new LoadPackage.ReplacedTable(emptied,
                    ReplaceStrategy.TRUNCATE_AND_INSERT, table.columns())));
        }
        return List.copyOf(tables.values());
    }

    /**
     * The run's starting schema ({@code base}: the stored one less what a refresh dropped) with this run's tables in
     * place of their earlier versions, still numbered as the stored version it was evolved from: the version it is
     * stored as is decided at commit, where another load may have stored one since.
     */
    private Schema evolved(Schema stored, Schema base, List<Extracted> extracted) {
        Map<String, TableSchema> tables = new LinkedHashMap<>();
        base.tables().forEach(table -> tables.put(table.name(), table));
        extracted.forEach(resource -> resource.normalized().tables().forEach(table -> tables.put(table.name(), table)));
        List<TableSchema> merged = List.copyOf(tables.values());
        return new Schema(spec.name(), stored.version(), merged);
    }

    private void report(RunEvent.TableProgress progress) {
        peakHeap = Math.max(peakHeap, MEMORY.getHeapMemoryUsage().getUsed());
        channel.publish(progress);
    }

    private void log(RunEvent.LogLine.Level level, String message) {
        channel.publish(new RunEvent.LogLine(level, message));
    }
}
