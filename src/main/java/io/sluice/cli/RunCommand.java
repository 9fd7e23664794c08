package io.sluice.cli;

import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.Trigger;
import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.runs.InvalidRefreshException;
import io.sluice.runs.RunExecutor;
import io.sluice.runs.RunWatch;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run one pipeline file once, in this process, with live progress; exit 0 when it completes.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the run completed", "1:the run failed or was cancelled",
            "2:the pipeline file is invalid, or the refresh does not fit it"})
class RunCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, required = true, description = "The pipeline file (YAML or JSON).")
    Path file;

    @ArgGroup(exclusive = false)
    RefreshOptions refresh;

    @Inject
    RunExecutor executor;

    @Override
    public Integer call() throws InterruptedException {
        // The catalog starts, marking the runs dead processes left, while the spec is read: neither needs the other.
        CompletableFuture<List<Run>> crashed = CompletableFuture.supplyAsync(executor::markCrashedRuns);
        PipelineSpec spec;
        try {
            spec = PipelineSpecs.read(file);
        } catch (InvalidSpecException e) {
            ProblemReport.print(e);
            await(crashed);
            return 2;
        }
        executor.prepare(spec);
        await(crashed);
        Run run;
        try {
            run = executor.start(spec, "", Trigger.CLI, Optional.ofNullable(refresh).map(RefreshOptions::refresh));
        } catch (InvalidRefreshException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        ProgressPrinter printer = ProgressPrinter.forStdout();
        try (RunWatch watch = executor.watch(run.id())) {
            while (!watch.finished()) {
                watch.next(Duration.ofMillis(200)).ifPresent(event -> DomainEvents.show(event, printer));
            }
        }
        Run ended = executor.get(run.id());
        if (ended.state() == RunState.COMPLETED) {
            return 0;
        }
        System.err.println("run " + ended.id() + " " + ended.state() + ": " + ended.error());
        return 1;
    }

    /** Waits for the catalog's start, failing as it failed. */
    private static void await(CompletableFuture<?> started) {
        try {
            started.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }
}
