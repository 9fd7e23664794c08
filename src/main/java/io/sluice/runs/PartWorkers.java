package io.sluice.runs;

import io.sluice.normalize.ResourceNormalizer;
import io.sluice.source.ItemSink;
import io.sluice.source.ResourceParts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Reads and normalizes the parts of one resource (its files) on several workers at once, each part into a worker
 * normalizer of its own, and hands the results to the resource's normalizer in the parts' order, which takes each over
 * when it is what it would have made of the part itself, and otherwise normalizes the part again. So the tables, their
 * schema, rows and counts are those of reading the parts {@link #inOrder one after another}.
 */
final class PartWorkers {
    /** Parts started but not yet handed over, per worker: what bounds the work held ahead of the hand-over. */
    private static final int AHEAD_PER_WORKER = 2;

    private final int workers;
    private final RunControl control;

    PartWorkers(int workers, RunControl control) {
        if (workers < 2) {
            throw new IllegalArgumentException("parts are spread over 2 workers or more, not " + workers);
        }
        this.workers = workers;
        this.control = control;
    }

    /**
     * Normalizes every part into {@code normalizer}, then tells the parts they were read.
     *
     * @return the parts normalized again, for their types or names differed from what the parts before them gave
     * @param workerSink the sink that normalizes a part's items into a worker's normalizer, counting them for progress
     * @param againSink the sink that normalizes a part's items into {@code normalizer} itself, without counting them again
     */
    List<ResourceParts.Part> normalize(ResourceParts parts, ResourceNormalizer normalizer,
                                       Function<ResourceNormalizer, ItemSink> workerSink, ItemSink againSink) {
        List<ResourceParts.Part> list = parts.parts();
        List<ResourceParts.Part> again = new ArrayList<>();
        List<Future<ResourceNormalizer>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(workers, Thread.ofVirtual().name("normalize-", 0).factory())) {
            try {
                for (int index = 0; index < list.size(); index++) {
                    while (results.size() < list.size() && results.size() < index + workers * AHEAD_PER_WORKER) {
                        ResourceParts.Part part = list.get(results.size());
                        results.add(threads.submit(RunLogContext.carried(
                                () -> normalized(parts, part, normalizer.worker(part.position()), workerSink))));
                    }
                    if (!normalizer.absorb(results.get(index).get())) {
                        control.checkStopped();
                        again.add(list.get(index));
                        normalizer.startPart(list.get(index).position());
                        parts.read(list.get(index), againSink);
                    }
                }
            } catch (ExecutionException | InterruptedException | RuntimeException e) {
                // Here, so that closing the executor waits for workers that were told to stop, not for all the parts.
                results.forEach(result -> result.cancel(true));
                throw e;
            }
        } catch (ExecutionException | InterruptedException e) {
            throw control.failureOfTask(e, "normalizing the parts of a resource");
        }
        parts.finished();
        return again;
    }

    /**
     * Reads the parts one after another into {@code normalizer}, each numbered from its position as a worker numbers it,
     * until the sink wants no more; then tells the parts they were read.
     */
    static void inOrder(ResourceParts parts, ResourceNormalizer normalizer, ItemSink sink) {
        for (ResourceParts.Part part : parts.parts()) {
            normalizer.startPart(part.position());
            if (!parts.read(part, sink)) {
                break;
            }
        }
        parts.finished();
    }

    /** One part read into its worker's normalizer, its staged files closed (a failed run's package is removed whole). */
    private static ResourceNormalizer normalized(ResourceParts parts, ResourceParts.Part part, ResourceNormalizer worker,
                                                 Function<ResourceNormalizer, ItemSink> workerSink) {
        try {
            parts.read(part, workerSink.apply(worker));
            return worker;
        } finally {
            worker.close();
        }
    }
}
