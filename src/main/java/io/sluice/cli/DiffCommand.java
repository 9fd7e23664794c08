package io.sluice.cli;

import io.sluice.proto.v1.PipelineServiceGrpc;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints what {@code apply} would change, changing nothing; the exit code says whether anything differs, as {@code kubectl diff}'s does. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Print what `sluice apply` would change (+ create, ~ update, - delete, = unchanged) and change nothing.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:nothing differs", "1:apply would change something", "2:a file or the service refused"})
class DiffCommand extends PipelinesCommand.Client {
    static final int DIFFERS = 1;
    static final int PROBLEM = 2;

    @Mixin
    GitOpsOptions gitOps;

    @Override
    int call(PipelineServiceGrpc.PipelineServiceBlockingStub pipelines) {
        Optional<Plan> plan = gitOps.plan(pipelines);
        if (plan.isEmpty()) {
            return PROBLEM;
        }
        plan.get().print(Colors.forStdout());
        return plan.get().changesSomething() ? DIFFERS : 0;
    }

    @Override
    int failureExitCode() {
        return PROBLEM;
    }
}
