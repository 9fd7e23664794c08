package io.sluice.runs;

import io.sluice.catalog.CatalogTime;
import io.sluice.catalog.JdbcCatalogStore;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.RunSummary;
import io.sluice.catalog.Trigger;
import io.sluice.load.ConnectionPools;
import io.sluice.load.Destinations;
import io.sluice.load.DuckDbSettings;
import io.sluice.load.LoadPackages;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.security.Secrets;
import io.sluice.source.RequestListener;
import io.sluice.source.Sources;
import io.sluice.testing.FileDataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Runs a pipeline once, in this thread, from its own source to its destination: for tests of sources. */
public final class PipelineRuns {
    private PipelineRuns() {
    }

    /**
     * One attempt of a run of {@code spec}, with its catalog and packages under {@code data}.
     *
     * @param secrets secret values by name
     * @throws RuntimeException what the attempt threw
     */
    public static RunSummary run(PipelineSpec spec, Path data, Map<String, String> secrets) {
        return run(spec, data, secrets, Runtime.getRuntime().availableProcessors(), "");
    }

    /**
     * One attempt of a run of {@code spec}, as {@link #run(PipelineSpec, Path, Map)}, whose resources' parts are read by
     * {@code extractWorkers} workers at once, as load {@code loadId} (row ids are made from it).
     */
    public static RunSummary run(PipelineSpec spec, Path data, Map<String, String> secrets, int extractWorkers, String loadId) {
        return run(spec, data, secrets, extractWorkers, loadId, new RunControl());
    }

    /** One attempt, as {@link #run(PipelineSpec, Path, Map)}, under {@code control}: a test stops it through it. */
    public static RunSummary run(PipelineSpec spec, Path data, Map<String, String> secrets, RunControl control) {
        return run(spec, data, secrets, Runtime.getRuntime().availableProcessors(), "", control);
    }

    /**
     * One attempt, as {@link #run(PipelineSpec, Path, Map, int, String)}, that keeps its committed package under
     * {@code data/loaded}, for a test to see what was staged.
     */
    public static RunSummary runKeepingPackage(PipelineSpec spec, Path data, Map<String, String> secrets, String loadId) {
        return run(spec, data, secrets, 1, loadId, new RunControl(), DuckDbSettings.DEFAULT, 0, new LoadPackages(data, true));
    }

    /** One attempt, as {@link #run(PipelineSpec, Path, Map)}, whose DuckDB loads run under {@code duckDb}. */
    public static RunSummary run(PipelineSpec spec, Path data, Map<String, String> secrets, DuckDbSettings duckDb) {
        return run(spec, data, secrets, Runtime.getRuntime().availableProcessors(), "", new RunControl(), duckDb);
    }

    /**
     * One attempt, as {@link #run(PipelineSpec, Path, Map, int, String)}, whose PostgreSQL loads copy a table's files on
     * several connections at once only when they hold {@code parallelCopyFrom} bytes together (else whenever they can).
     */
    public static RunSummary run(PipelineSpec spec, Path data, Map<String, String> secrets, int extractWorkers, String loadId,
                                 long parallelCopyFrom) {
        return run(spec, data, secrets, extractWorkers, loadId, new RunControl(), DuckDbSettings.DEFAULT, parallelCopyFrom);
    }

    private static RunSummary run(PipelineSpec spec, Path data, Map<String, String> secrets, int extractWorkers, String loadId,
                                  RunControl control) {
        return run(spec, data, secrets, extractWorkers, loadId, control, DuckDbSettings.DEFAULT);
    }

    private static RunSummary run(PipelineSpec spec, Path data, Map<String, String> secrets, int extractWorkers, String loadId,
                                  RunControl control, DuckDbSettings duckDb) {
        return run(spec, data, secrets, extractWorkers, loadId, control, duckDb, 0);
    }

    private static RunSummary run(PipelineSpec spec, Path data, Map<String, String> secrets, int extractWorkers, String loadId,
                                  RunControl control, DuckDbSettings duckDb, long parallelCopyFrom) {
        return run(spec, data, secrets, extractWorkers, loadId, control, duckDb, parallelCopyFrom, new LoadPackages(data));
    }

    private static RunSummary run(PipelineSpec spec, Path data, Map<String, String> secrets, int extractWorkers, String loadId,
                                  RunControl control, DuckDbSettings duckDb, long parallelCopyFrom, LoadPackages packages) {
        JdbcCatalogStore catalog = new JdbcCatalogStore(new FileDataSource(data.resolve("catalog.duckdb")));
        catalog.migrate();
        Run run = new Run(UUID.randomUUID().toString(), spec.name(), RunState.RUNNING, Trigger.CLI, "", CatalogTime.now(),
                Optional.of(CatalogTime.now()), Optional.empty(), "", 1, Optional.empty(), Optional.empty(), "", "");
        catalog.insertRun(run, "test");
        Secrets resolved = Secrets.of(secrets);
        RunChannel channel = new RunChannel(run, catalog, 100);
        try (ConnectionPools pools = new ConnectionPools(1, Duration.ofMinutes(1), Duration.ZERO, parallelCopyFrom);
             RunJob job = new RunJob(spec, Optional.empty(), Sources.open(spec.source(), resolved::resolve, RequestListener.NONE), loadId.isEmpty() ? "load-" + run.id() : loadId,
                     new Destinations(data, resolved::resolve, pools, duckDb), packages, channel,
                     control, Duration.ofSeconds(1), extractWorkers)) {
            return job.attempt();
        } finally {
            // The run's log lines wait to be written with its next change; ended here, they are written now, for the tests to read.
            channel.end();
        }
    }
}
