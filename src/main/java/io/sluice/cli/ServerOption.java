package io.sluice.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/** Where a client command finds the service. */
class ServerOption {
    @Option(names = {"-s", "--server"}, defaultValue = "${SLUICE_SERVER:-localhost:9000}",
            description = "The service's gRPC address, host:port (default: ${DEFAULT-VALUE}; env SLUICE_SERVER).")
    String server;

    ManagedChannel channel() {
        return NettyChannelBuilder.forTarget(server).usePlaintext().build();
    }

    static void close(ManagedChannel channel) {
        channel.shutdown();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
