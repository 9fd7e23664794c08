package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** The CLI's connection options as a user gives them, checked against a server that requires TLS and a client certificate. */
public final class TlsClients {
    private TlsClients() {
    }

    /** Parses {@code --server}, {@code --tls-ca}, {@code --tls-cert}, {@code --tls-key} and asks the server for its health. */
    public static void assertServed(String server, Path ca, Path certificate, Path key) {
        ServerOption option = new ServerOption();
        new CommandLine(option).parseArgs("--server", server, "--tls-ca", ca.toString(), "--tls-cert", certificate.toString(),
                "--tls-key", key.toString());
        ManagedChannel channel = option.channel();
        try {
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus());
        } finally {
            ServerOption.close(channel);
        }
    }
}
