package io.sluice.cli;

import io.grpc.StatusRuntimeException;
import io.sluice.proto.v1.DeletePipelineRequest;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.UpdatePipelineRequest;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Makes the registered pipelines equal to a directory of files: prints the plan, lets the service check every file
 * it would write, and only when all pass creates, updates and (with {@code --prune}) deletes. Writes carry the etag
 * the plan read, so a pipeline changed by someone else meanwhile is refused rather than overwritten.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Make the registered pipelines equal to the files: print the plan (+ create, ~ update, - delete,"
                + " = unchanged), then carry it out; exit 1 when anything was refused.",
            "Nothing is written unless the service accepts every file; running it twice changes nothing the second time."})
class ApplyCommand extends PipelinesCommand.Client {
    @Mixin
    GitOpsOptions gitOps;

    @Option(names = "--dry-run", description = "Print the plan and let the service check the files; change nothing.")
    boolean dryRun;

    @Override
    int call(PipelineServiceGrpc.PipelineServiceBlockingStub pipelines) {
        Optional<Plan> plan = gitOps.plan(pipelines);
        if (plan.isEmpty()) {
            return 1;
        }
        plan.get().print(Colors.forStdout());
        List<PlannedChange.Write> writes = plan.get().changes().stream()
                .filter(PlannedChange.Write.class::isInstance).map(PlannedChange.Write.class::cast).toList();
        long refused = writes.stream().filter(write -> !accepted(pipelines, write)).count();
        if (refused > 0) {
            System.err.println("nothing changed: the service refused " + refused + " file(s)");
            return 1;
        }
        if (dryRun) {
            return 0;
        }
        return plan.get().changes().stream().filter(change -> !carriedOut(pipelines, change)).count() == 0 ? 0 : 1;
    }

    private static boolean accepted(PipelineServiceGrpc.PipelineServiceBlockingStub pipelines, PlannedChange.Write write) {
        try {
            pipelines.updatePipeline(request(write).setValidateOnly(true).build());
            return true;
        } catch (StatusRuntimeException e) {
            System.err.print(write.file() + ": ");
            ProblemReport.print(e);
            return false;
        }
    }

    private static boolean carriedOut(PipelineServiceGrpc.PipelineServiceBlockingStub pipelines, PlannedChange change) {
        try {
            switch (change) {
                case PlannedChange.Write write -> {
                    pipelines.updatePipeline(request(write).build());
                    System.out.println("applied " + write.name() + " from " + write.file());
                }
                case PlannedChange.Delete delete -> {
                    pipelines.deletePipeline(DeletePipelineRequest.newBuilder().setName(delete.name()).setEtag(delete.etag()).build());
                    System.out.println("deleted " + delete.name());
                }
                case PlannedChange.Unchanged unchanged -> {
                }
            }
            return true;
        } catch (StatusRuntimeException e) {
            System.err.print(change.name() + ": ");
            ProblemReport.print(e);
            return false;
        }
    }

    private static UpdatePipelineRequest.Builder request(PlannedChange.Write write) {
        return UpdatePipelineRequest.newBuilder()
                .setPipeline(write.desired().toBuilder().setEtag(write.etag()))
                .setAllowMissing(true);
    }
}
