package io.sluice.runs;

import io.sluice.catalog.CatalogTime;
import io.sluice.catalog.JdbcCatalogStore;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.RunSummary;
import io.sluice.catalog.Trigger;
import io.sluice.load.ConnectionPools;
import io.sluice.load.Destinations;
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

/**
 * Runs a pipeline spec once, as the run executor would (its source opened from the spec, one attempt, the load
 * committed), for tests of sources outside this package.
 */
public final class SpecRuns {
    private final Path data;
    private final Map<String, String> secrets;
    private final JdbcCatalogStore catalog;

    /**
     * @param data where the catalog, packages and relative DuckDB paths go
     * @param secrets the secrets the spec may name
     */
    public SpecRuns(Path data, Map<String, String> secrets) {
        this.data = data;
        this.secrets = Map.copyOf(secrets);
        this.catalog = new JdbcCatalogStore(new FileDataSource(data.resolve("catalog.duckdb")));
        catalog.migrate();
    }

    /** Runs {@code spec} once; throws what the attempt threw. */
    public RunSummary run(PipelineSpec spec) {
        Run run = new Run(UUID.randomUUID().toString(), spec.name(), RunState.RUNNING, Trigger.CLI, "", CatalogTime.now(),
                Optional.of(CatalogTime.now()), Optional.empty(), "", 1, Optional.empty(), Optional.empty(), "", "");
        catalog.insertRun(run, "test");
        Destinations destinations = new Destinations(data, Secrets.of(secrets)::resolve, new ConnectionPools(1, Duration.ofMinutes(1)));
        try (ConnectionPools ignored = destinations.pools();
             RunJob job = new RunJob(spec, Optional.empty(), Sources.open(spec.source(), destinations.secrets(), RequestListener.NONE), "load-" + run.id(),
                     destinations, new LoadPackages(data), new RunChannel(run, catalog, 100), new RunControl(), Duration.ofSeconds(1))) {
            return job.attempt();
        }
    }
}
