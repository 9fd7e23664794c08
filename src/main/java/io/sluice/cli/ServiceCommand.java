package io.sluice.cli;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A command that calls one service of a running server; an error status is printed and becomes exit code 1. */
abstract class ServiceCommand<S> implements Callable<Integer> {
    @Mixin
    ServerOption server;

    @Override
    public Integer call() {
        ManagedChannel channel = server.channel();
        try {
            return call(stub(channel));
        } catch (StatusRuntimeException e) {
            ProblemReport.print(e);
            return failureExitCode();
        } finally {
            ServerOption.close(channel);
        }
    }

    /** The exit code for an error status: 1, unless the command gives its exit codes other meanings. */
    int failureExitCode() {
        return 1;
    }

    abstract S stub(Channel channel);

    abstract int call(S service);
}
