package io.sluice.cli;

import io.quarkus.runtime.Quarkus;
import io.sluice.catalog.PipelineRegistry;
import io.sluice.catalog.Run;
import io.sluice.observability.ServedPipelines;
import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.runs.ConcurrencyLimits;
import io.sluice.runs.RunExecutor;
import io.sluice.runs.RunHistoryCleanup;
import io.sluice.runs.RunRetries;
import io.sluice.runs.Scheduler;
import io.sluice.runs.SluiceConfig;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the gRPC API, after applying the pipeline files (sluice.serve.pipelines).")
class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = Logger.getLogger(ServeCommand.class);

    @Option(names = {"-f", "--pipelines"}, description = "Pipeline files to apply at start-up: a file or directory"
            + " (default: sluice.serve.pipelines).")
    Path pipelines;

    @Inject
    PipelineRegistry registry;

    @Inject
    SluiceConfig config;

    @Inject
    RunExecutor executor;

    @Inject
    ConcurrencyLimits limits;

    @Inject
    @Readiness
    ServedPipelines served;

    @Inject
    Scheduler scheduler;

    @Inject
    RunRetries retries;

    @Inject
    RunHistoryCleanup historyCleanup;

    @Override
    public Integer call() {
        served.applying();
        List<Run> crashed = executor.markCrashedRuns();
        Path toApply = pipelines != null ? pipelines : config.serve().pipelines().orElse(null);
        if (toApply != null) {
            apply(toApply);
        }
        served.applied();
        retries.resumeCrashed(crashed);
        scheduler.start();
        historyCleanup.start();
        Quarkus.waitForExit();
        return 0;
    }

    /** A bad file is reported and skipped: the others, and the service, still start. */
    private void apply(Path path) {
        for (Path file : SpecFiles.under(path)) {
            try {
                LOG.infof("applied pipeline %s from %s", registry.apply(limits.checked(PipelineSpecs.read(file))).name(), file);
            } catch (InvalidSpecException e) {
                LOG.errorf("not applied: %s", e.getMessage());
            }
        }
    }
}
