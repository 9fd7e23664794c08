package io.sluice.cli;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints what {@code apply} would change, changing nothing; the exit code says whether anything differs, as {@code kubectl diff}'s does. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Print what `sluice apply` would change (+ create, ~ update, - delete, = unchanged) and change nothing.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:nothing differs", "1:apply would change something", "2:a file or the service refused"})
class DiffCommand implements Callable<Integer> {
    static final int DIFFERS = 1;
    static final int PROBLEM = 2;

    @Mixin
    GitOpsOptions gitOps;

    @Mixin
    ServerOption server;

    @Override
    public Integer call() {
        ManagedChannel channel = server.channel();
        try {
            Optional<Plan> plan = gitOps.plan(channel);
            if (plan.isEmpty()) {
                return PROBLEM;
            }
            plan.get().print(Colors.forStdout());
            return plan.get().changesSomething() ? DIFFERS : 0;
        } catch (StatusRuntimeException e) {
            ProblemReport.print(e);
            return PROBLEM;
        } finally {
            ServerOption.close(channel);
        }
    }
}
