package io.sluice.cli;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.UpdatePipelineRequest;
import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.SpecReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Create or replace pipelines on a running service from files; exit 1 when any was refused.")
class ApplyCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, required = true, description = "A pipeline file, or a directory of them.")
    Path path;

    @Option(names = "--dry-run", description = "Let the service check the files, change nothing.")
    boolean dryRun;

    @Mixin
    ServerOption server;

    @Override
    public Integer call() {
        ManagedChannel channel = server.channel();
        int refused = 0;
        try {
            PipelineServiceGrpc.PipelineServiceBlockingStub pipelines = PipelineServiceGrpc.newBlockingStub(channel);
            for (Path file : SpecFiles.under(path)) {
                try {
                    Pipeline spec = SpecReader.read(file);
                    Pipeline applied = pipelines.updatePipeline(UpdatePipelineRequest.newBuilder()
                            .setPipeline(spec)
                            .setAllowMissing(true)
                            .setValidateOnly(dryRun)
                            .build());
                    System.out.println((dryRun ? "valid   " : "applied ") + applied.getName() + " from " + file);
                } catch (InvalidSpecException e) {
                    refused++;
                    ProblemReport.print(e);
                } catch (StatusRuntimeException e) {
                    refused++;
                    System.err.print(file + ": ");
                    ProblemReport.print(e);
                }
            }
        } finally {
            ServerOption.close(channel);
        }
        return refused == 0 ? 0 : 1;
    }
}
