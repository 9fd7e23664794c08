package io.sluice.cli;

import com.google.protobuf.Timestamp;
import io.grpc.Channel;
import io.sluice.proto.v1.DiscardPendingPackageRequest;
import io.sluice.proto.v1.DiscardedPackage;
import io.sluice.proto.v1.ListPendingPackagesRequest;
import io.sluice.proto.v1.ListPendingPackagesResponse;
import io.sluice.proto.v1.PackageTable;
import io.sluice.proto.v1.PendingPackage;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.RetryPendingPackageRequest;
import io.sluice.proto.v1.Run;
import io.sluice.proto.v1.RunServiceGrpc;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "packages", mixinStandardHelpOptions = true,
        description = "Load packages a pipeline's runs sealed but did not commit: list, retry or discard them.",
        subcommands = {PackagesCommand.ListPackages.class, PackagesCommand.Retry.class, PackagesCommand.Discard.class})
class PackagesCommand {

    /** Which pending package a command acts on: its pipeline and load id, the command's two parameters. */
    static class PendingPackageName {
        @Parameters(index = "0", paramLabel = "PIPELINE")
        String pipeline;

        @Parameters(index = "1", paramLabel = "LOAD_ID")
        String loadId;
    }

    /** The services a packages command calls: the pipelines', and the runs' to watch a retry. */
    record Services(PipelineServiceGrpc.PipelineServiceBlockingStub pipelines, RunServiceGrpc.RunServiceBlockingStub runs) {
    }

    abstract static class Client extends ServiceCommand<Services> {
        @Override
        Services stub(Channel channel) {
            return new Services(PipelineServiceGrpc.newBlockingStub(channel), RunServiceGrpc.newBlockingStub(channel));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Show a pipeline's pending load packages, and those discarded.")
    static class ListPackages extends Client {
        @Parameters(paramLabel = "PIPELINE")
        String pipeline;

        @Mixin
        OutputOption output;

        @Override
        int call(Services services) {
            ListPendingPackagesResponse listed = services.pipelines().listPendingPackages(
                    ListPendingPackagesRequest.newBuilder().setPipeline(pipeline).build());
            if (output.printedAsJson(listed)) {
                return 0;
            }
            if (listed.getPendingPackagesList().isEmpty()) {
                System.out.println("pipeline " + pipeline + " has no pending load packages");
            } else {
                System.out.println("pending load packages of pipeline " + pipeline + ", oldest first:");
            }
            for (PendingPackage pending : listed.getPendingPackagesList()) {
                System.out.println("  " + pending.getLoadId() + "  " + rows(pending.getRows(), pending.getTablesList())
                        + (pending.getOwnedByLiveRun() ? "  (in use by a live run)" : ""));
                System.out.println("    sealed by run " + (pending.getSealedByRun().isEmpty() ? "(unknown)" : pending.getSealedByRun())
                        + (pending.hasSealTime() ? " at " + instant(pending.getSealTime()) : ""));
                System.out.printf(Locale.ROOT, "    jobs: %d new, %d started, %d completed, %d failed%n", pending.getNewJobs(),
                        pending.getStartedJobs(), pending.getCompletedJobs(), pending.getFailedJobs());
                if (!pending.getLastFailure().isEmpty()) {
                    System.out.println("    last failure: " + pending.getLastFailure());
                }
                System.out.println("    path: " + pending.getPath());
            }
            if (!listed.getDiscardedPackagesList().isEmpty()) {
                System.out.println("discarded, latest first:");
                listed.getDiscardedPackagesList().forEach(discarded -> System.out.println("  " + describe(discarded)));
            }
            return 0;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Trigger a run that commits the pipeline's pending packages, this one among them, before its own load.")
    static class Retry extends Client {
        @Mixin
        PendingPackageName name;

        @Option(names = "--request-id", defaultValue = "", description = "Idempotency key: the same key returns the same run.")
        String requestId;

        @Option(names = {"-w", "--watch"}, description = "Watch the run until it ends; exit 0 only when it completes.")
        boolean watch;

        @Override
        int call(Services services) {
            Run run = services.pipelines().retryPendingPackage(RetryPendingPackageRequest.newBuilder()
                    .setPipeline(name.pipeline).setLoadId(name.loadId).setRequestId(requestId).build());
            System.out.println("triggered run " + run.getId() + " of pipeline " + name.pipeline + " to commit load package " + name.loadId);
            return watch ? RunsCommand.Client.watch(services.runs(), run.getId()) : 0;
        }
    }

    @Command(name = "discard", mixinStandardHelpOptions = true,
            description = "Throw a pending load package away uncommitted; the discard is recorded with who, why and how many rows.")
    static class Discard extends Client {
        @Mixin
        PendingPackageName name;

        @Option(names = "--reason", defaultValue = "", description = "Why, recorded with the discard.")
        String reason;

        @Option(names = "--by", defaultValue = "${sys:user.name}", description = "Who discards it (default: ${DEFAULT-VALUE}).")
        String by;

        @Override
        int call(Services services) {
            DiscardedPackage discarded = services.pipelines().discardPendingPackage(DiscardPendingPackageRequest.newBuilder()
                    .setPipeline(name.pipeline).setLoadId(name.loadId).setDiscardedBy(by).setReason(reason).build());
            System.out.println("discarded load package " + discarded.getLoadId() + " of pipeline " + name.pipeline + ": "
                    + rows(discarded.getRows(), discarded.getTablesList()) + " thrown away; recorded as " + describe(discarded));
            return 0;
        }
    }

    private static String describe(DiscardedPackage discarded) {
        return discarded.getLoadId() + "  " + rows(discarded.getRows(), discarded.getTablesList()) + "  discarded by "
                + discarded.getDiscardedBy() + " at " + instant(discarded.getDiscardTime())
                + (discarded.getSealedByRun().isEmpty() ? "" : ", sealed by run " + discarded.getSealedByRun())
                + (discarded.getReason().isEmpty() ? "" : ": " + discarded.getReason());
    }

    private static String rows(long rows, List<PackageTable> tables) {
        return String.format(Locale.ROOT, "%,d rows", rows) + (tables.isEmpty() ? "" : tables.stream()
                .map(table -> String.format(Locale.ROOT, "%s %,d", table.getTable(), table.getRows()))
                .collect(Collectors.joining(", ", " (", ")")));
    }

    private static Instant instant(Timestamp time) {
        return Instant.ofEpochSecond(time.getSeconds(), time.getNanos());
    }
}
