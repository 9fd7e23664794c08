package io.sluice.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.catalog.Stage;
import io.sluice.normalize.ItemTransform;
import io.sluice.normalize.NormalizeListener;
import io.sluice.normalize.NormalizedResource;
import io.sluice.normalize.ResourceNormalizer;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.ResourceSpec;
import io.sluice.pipeline.TransformSpec;
import io.sluice.schema.Naming;
import io.sluice.schema.SchemaChange;
import io.sluice.schema.TableSchema;
import io.sluice.source.Incremental;
import io.sluice.source.IncrementalWindow;
import io.sluice.source.ItemSink;
import io.sluice.source.ResourceParts;
import io.sluice.source.Source;
import io.sluice.source.SourceState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.UnaryOperator;

/**
 * The extract stage of one attempt: every resource of the spec read from the source on a virtual thread of its own (as
 * many at once as there are cores), its items normalized into the package's staged files as they stream in, so memory
 * holds one item per resource. A resource of several parts (files) is spread over workers when the order of its items
 * does not matter (see {@link #spreadParts}).
 */
final class Extraction {
    private static final int PARALLEL_RESOURCES = Runtime.getRuntime().availableProcessors();

    private final PipelineSpec spec;
    private final Source source;
    private final String loadId;
    private final RunControl control;
    private final RunReport report;
    private final Duration progressInterval;
    private final UnaryOperator<String> secrets;
    private final int workers;

    /**
     * @param source the spec's source, opened
     * @param secrets the value of a secret the spec names, by its name (the keys of masking transforms)
     * @param workers how many workers read and normalize the parts of one resource at once; 1 reads them in order
     */
    Extraction(PipelineSpec spec, Source source, String loadId, RunControl control, RunReport report, Duration progressInterval,
               UnaryOperator<String> secrets, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("extract workers must be 1 or more, not " + workers);
        }
        this.spec = spec;
        this.source = source;
        this.loadId = loadId;
        this.control = control;
        this.report = report;
        this.progressInterval = progressInterval;
        this.secrets = secrets;
        this.workers = workers;
    }

    /** One resource extracted: its normalized tables, the bytes read, and where its incremental cursor stands. */
    record Extracted(ResourceSpec resource, NormalizedResource normalized, long bytes, Optional<Incremental> incremental,
                     Optional<JsonNode> sourceState) {
    }

    /**
     * Every resource, in the spec's order (as the source resolves it: an SQL database may find its tables), its staged
     * files written into {@code packageDirectory}.
     */
    List<Extracted> extractAll(RefreshPlan plan, Naming naming, Path packageDirectory) {
        Semaphore cores = new Semaphore(PARALLEL_RESOURCES);
        List<Future<Extracted>> futures = new ArrayList<>();
        // The source is called on virtual threads only, even by a run on a platform thread (a one-shot command's): a
        // blocking call ends on interrupt there, and the Source contract promises a cut run that. (The SQL source does its
        // socket reads on platform threads of its own, which a cut reaches through the database: see DatabaseCall.)
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("extract-", 0).factory())) {
            Callable<List<? extends ResourceSpec>> resolve = () -> source.resolve(spec.source().resources());
            List<? extends ResourceSpec> resources = results(List.of(threads.submit(RunLogContext.carried(resolve)))).getFirst();
            spec.transforms().stream().map(TransformSpec::resource).distinct()
                    .filter(name -> resources.stream().noneMatch(resource -> resource.name().equals(name)))
                    .forEach(name -> report.log(RunEvent.LogLine.Level.WARN, "the source has no resource " + name + " that a transform names"));
            for (ResourceSpec resource : resources) {
                futures.add(threads.submit(RunLogContext.carried(() -> {
                    cores.acquire();
                    try {
                        return extract(resource, plan, naming, packageDirectory);
                    } finally {
                        cores.release();
                    }
                })));
            }
            return results(futures);
        } catch (ExecutionException | InterruptedException e) {
            throw control.failureOfTask(e, "extracting");
        }
    }

    /**
     * The tasks' results, in order. On a failure or an interrupt every task is cancelled, its thread interrupted, before
     * this throws: closing the executor waits for every task, so they are stopped first.
     */
    private static <T> List<T> results(List<Future<T>> futures) throws ExecutionException, InterruptedException {
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (ExecutionException | InterruptedException e) {
            futures.forEach(future -> future.cancel(true));
            throw e;
        }
    }

    private Extracted extract(ResourceSpec resource, RefreshPlan plan, Naming naming, Path packageDirectory) {
        control.checkStopped();
        Optional<Incremental> incremental = resource.incremental().map(incrementalSpec -> new Incremental(incrementalSpec,
                resource.hints().primaryKey(), plan.state().cursor(resource.name())));
        report.log(RunEvent.LogLine.Level.INFO, "extracting resource " + resource.name() + " into table " + resource.tableName()
                + incremental.map(Extraction::describe).orElse(""));
        ProgressMeter meter = new ProgressMeter(resource.name(), resource.tableName(), Stage.EXTRACT,
                source.totalBytes(resource.name()), progressInterval, report::progress);
        List<TableSchema> storedTables = plan.schema().tables().stream()
                .filter(table -> table.resource().equals(resource.name()))
                .toList();
        SourceState sourceState = new SourceState(plan.state().sourceState(resource.name()));
        ItemTransform transform = ItemTransform.of(spec.transforms(resource.name()), secrets);
        List<ItemTransform> transforms = new CopyOnWriteArrayList<>(List.of(transform));
        NormalizedResource normalized;
        try (ResourceNormalizer normalizer = new ResourceNormalizer(resource.name(), resource.tableName(), resource.hints(),
                storedTables, naming, packageDirectory, loadId, normalizeListener())) {
            Optional<ResourceParts> parts = source.parts(resource.name(), sourceState);
            NormalizingSink counted = new NormalizingSink(normalizer, control, Optional.of(meter));
            if (parts.isPresent() && spread(resource, incremental, parts.get())) {
                report.log(RunEvent.LogLine.Level.INFO, "resource " + resource.name() + ": its " + parts.get().parts().size()
                        + " parts are read by " + workers + " workers at once");
                List<ResourceParts.Part> again = new PartWorkers(workers, control).normalize(parts.get(), normalizer, worker -> {
                    ItemTransform own = ItemTransform.of(spec.transforms(resource.name()), secrets);
                    transforms.add(own);
                    return sink(new NormalizingSink(worker, control, Optional.of(meter)), Optional.empty(), own);
                }, sink(new NormalizingSink(normalizer, control, Optional.empty()), Optional.empty(), transform));
                again.forEach(part -> report.log(RunEvent.LogLine.Level.INFO, "resource " + resource.name() + ": part " + part.name()
                        + " was normalized again, after the parts before it, whose types or names it met differently"));
            } else if (parts.isPresent()) {
                PartWorkers.inOrder(parts.get(), normalizer, sink(counted, incremental, transform));
            } else {
                source.extract(resource.name(), incremental.map(Incremental::window), sourceState, sink(counted, incremental, transform));
            }
            normalized = normalizer.finish();
        }
        meter.finish();
        ItemTransform.unmatched(transforms).forEach(path -> report.log(RunEvent.LogLine.Level.WARN, "resource " + resource.name()
                + ": no item has the field " + path + " that a transform names; check its spelling"));
        incremental.filter(filter -> filter.filtered() > 0).ifPresent(filter -> report.log(RunEvent.LogLine.Level.INFO, "resource "
                + resource.name() + ": " + filter.filtered() + " item(s) outside the incremental window skipped"
                + (filter.duplicates() == 0 ? "" : ", " + filter.duplicates() + " of them loaded before at its start")));
        return new Extracted(resource, normalized, meter.bytes(), incremental, sourceState.changed());
    }

    /**
     * Whether to spread a resource's parts over the workers: only where the order of its items across parts changes
     * nothing. An incremental cursor follows the items in order (and may stop at the first past the window), and a
     * frozen contract fails at the first violation in order, so those resources, and one of a single part, are read in
     * order on the resource's thread. Either way a part's rows are numbered from its position, so their ids are the same.
     */
    private boolean spread(ResourceSpec resource, Optional<Incremental> incremental, ResourceParts parts) {
        return workers > 1 && incremental.isEmpty() && !resource.hints().contract().freezesAnything() && parts.parts().size() > 1;
    }

    /**
     * The sink a resource's source reads into: items masked before anything else sees them, so no original value reaches
     * a staged file, the state or an error, then through the incremental filter. Typed rows reach the normalizer as they
     * are only when nothing needs items: no mask and no cursor to follow.
     */
    private static ItemSink sink(NormalizingSink normalizing, Optional<Incremental> incremental, ItemTransform transform) {
        if (incremental.isEmpty() && transform.isEmpty()) {
            return normalizing;
        }
        ItemSink filtered = incremental.map(filter -> filter.filter(normalizing)).orElse(normalizing);
        return ItemSink.withItems(filtered, (item, origin) -> filtered.item(transform.apply(item), origin));
    }

    /** Schema changes go to watchers ahead of the rows that need them; what a contract drops is a warning. */
    private NormalizeListener normalizeListener() {
        return new NormalizeListener() {
            @Override
            public void schemaChanged(SchemaChange change) {
                report.publish(new RunEvent.SchemaChanged(change));
            }

            @Override
            public void dropped(String table, String origin, String reason) {
                report.log(RunEvent.LogLine.Level.WARN, "table " + table + ": " + (origin.isEmpty() ? "" : origin + ": ") + reason);
            }
        };
    }

    private static String describe(Incremental incremental) {
        IncrementalWindow window = incremental.window();
        return ", incremental on " + String.join(".", window.cursorPath())
                + window.start().map(start -> " from " + start).orElse("")
                + window.end().map(end -> " to " + end + " (backfill: the stored cursor stays)").orElse("");
    }
}
