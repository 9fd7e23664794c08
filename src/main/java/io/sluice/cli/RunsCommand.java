package io.sluice.cli;

import io.grpc.Channel;
import io.sluice.proto.v1.CancelRunRequest;
import io.sluice.proto.v1.GetRunRequest;
import io.sluice.proto.v1.ListRunsRequest;
import io.sluice.proto.v1.ListRunsResponse;
import io.sluice.proto.v1.RetryRunRequest;
import io.sluice.proto.v1.Run;
import io.sluice.proto.v1.RunEvent;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.proto.v1.RunState;
import io.sluice.proto.v1.TriggerRunRequest;
import io.sluice.proto.v1.WatchRunRequest;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "runs", mixinStandardHelpOptions = true, description = "Trigger, watch and list runs on a running service.",
        subcommands = {
            RunsCommand.Trigger.class,
            RunsCommand.Watch.class,
            RunsCommand.Get.class,
            RunsCommand.ListRuns.class,
            RunsCommand.Cancel.class,
            RunsCommand.Retry.class,
            RunLogsCommand.class
        })
class RunsCommand {

    abstract static class Client extends ServiceCommand<RunServiceGrpc.RunServiceBlockingStub> {
        @Override
        RunServiceGrpc.RunServiceBlockingStub stub(Channel channel) {
            return RunServiceGrpc.newBlockingStub(channel);
        }

        /** Shows a run's events until it ends; exit 0 only when it completed. */
        static int watch(RunServiceGrpc.RunServiceBlockingStub runs, String runId) {
            return watch(runs, runId, new OutputOption());
        }

        /** As {@link #watch(RunServiceGrpc.RunServiceBlockingStub, String)}; with {@code -o json}, each event as a JSON line. */
        static int watch(RunServiceGrpc.RunServiceBlockingStub runs, String runId, OutputOption output) {
            ProgressPrinter printer = ProgressPrinter.forStdout();
            RunState last = RunState.RUN_STATE_UNSPECIFIED;
            String error = "";
            Iterator<RunEvent> events = runs.watchRun(WatchRunRequest.newBuilder().setRunId(runId).build());
            while (events.hasNext()) {
                RunEvent event = events.next();
                if (!output.printedAsJsonLine(event)) {
                    ProtoEvents.show(event, printer);
                }
                switch (event.getKindCase()) {
                    case SNAPSHOT -> {
                        last = event.getSnapshot().getRun().getState();
                        error = event.getSnapshot().getRun().getError();
                    }
                    case STATE_CHANGE -> {
                        last = event.getStateChange().getTo();
                        error = event.getStateChange().getReason();
                    }
                    default -> {
                    }
                }
            }
            if (last == RunState.COMPLETED) {
                return 0;
            }
            System.err.println("run " + runId + " " + last + ": " + error);
            return 1;
        }
    }

    @Command(name = "trigger", mixinStandardHelpOptions = true, description = "Start a run of a registered pipeline.")
    static class Trigger extends Client {
        @Parameters(paramLabel = "PIPELINE")
        String pipeline;

        @Option(names = "--request-id", defaultValue = "", description = "Idempotency key: the same key returns the same run.")
        String requestId;

        @Option(names = {"-w", "--watch"}, description = "Watch the run until it ends; exit 0 only when it completes.")
        boolean watch;

        @ArgGroup(exclusive = false)
        RefreshOptions refresh;

        @Override
        int call(RunServiceGrpc.RunServiceBlockingStub runs) {
            TriggerRunRequest.Builder request = TriggerRunRequest.newBuilder().setPipeline(pipeline).setRequestId(requestId);
            if (refresh != null) {
                request.setRefresh(io.sluice.proto.v1.Refresh.valueOf(refresh.mode.name())).addAllResources(refresh.resources);
            }
            Run run = runs.triggerRun(request.build());
            System.out.println("triggered run " + run.getId() + " of pipeline " + run.getPipeline());
            return watch ? watch(runs, run.getId()) : 0;
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true, description = "Show a run's live progress until it ends.")
    static class Watch extends Client {
        @Parameters(paramLabel = "RUN_ID")
        String runId;

        @Mixin
        OutputOption output;

        @Override
        int call(RunServiceGrpc.RunServiceBlockingStub runs) {
            return watch(runs, runId, output);
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one run.")
    static class Get extends Client {
        @Parameters(paramLabel = "RUN_ID")
        String runId;

        @Mixin
        OutputOption output;

        @Override
        int call(RunServiceGrpc.RunServiceBlockingStub runs) {
            Run run = runs.getRun(GetRunRequest.newBuilder().setRunId(runId).build());
            if (!output.printedAsJson(run)) {
                System.out.print(run);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List runs, newest first.")
    static class ListRuns extends Client {
        @Option(names = {"-p", "--pipeline"}, defaultValue = "", description = "Only runs of this pipeline.")
        String pipeline;

        @Option(names = "--limit", defaultValue = "20", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Mixin
        OutputOption output;

        @Override
        int call(RunServiceGrpc.RunServiceBlockingStub runs) {
            ListRunsResponse page = runs.listRuns(ListRunsRequest.newBuilder().setPipeline(pipeline).setPageSize(limit).build());
            if (output.printedAsJson(page)) {
                return 0;
            }
            System.out.printf(Locale.ROOT, "%-36s  %-24s  %-10s  %-24s  %-10s  %s%n", "RUN", "PIPELINE", "STATE", "CREATED", "ROWS",
                    "WAITING FOR");
            for (Run run : page.getRunsList()) {
                System.out.printf(Locale.ROOT, "%-36s  %-24s  %-10s  %-24s  %-10d  %s%n", run.getId(), run.getPipeline(), run.getState(),
                        Instant.ofEpochSecond(run.getCreateTime().getSeconds()), run.getSummary().getRows(), run.getPendingReason());
            }
            return 0;
        }
    }

    /** A command that acts on one run, then shows its state as the service answered (and its attempt, once retried). */
    abstract static class OnRun extends Client {
        @Parameters(paramLabel = "RUN_ID")
        String runId;

        abstract Run act(RunServiceGrpc.RunServiceBlockingStub runs);

        @Override
        int call(RunServiceGrpc.RunServiceBlockingStub runs) {
            Run run = act(runs);
            System.out.println("run " + run.getId() + " " + run.getState() + (run.getAttempt() > 1 ? ", attempt " + run.getAttempt() : ""));
            return 0;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Stop a run at its next safe point (never inside a commit); a package it sealed is kept for a retry.")
    static class Cancel extends OnRun {
        @Override
        Run act(RunServiceGrpc.RunServiceBlockingStub runs) {
            return runs.cancelRun(CancelRunRequest.newBuilder().setRunId(runId).build());
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Retry a FAILED, CANCELLED or CRASHED run under its own id: from the load package it sealed, when it sealed one.")
    static class Retry extends OnRun {
        @Override
        Run act(RunServiceGrpc.RunServiceBlockingStub runs) {
            return runs.retryRun(RetryRunRequest.newBuilder().setRunId(runId).build());
        }
    }
}
