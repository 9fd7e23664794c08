package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.sluice.proto.v1.ListPipelinesRequest;
import io.sluice.proto.v1.PipelineServiceGrpc;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code bin/sluice serve}: in its default (production) profile it refuses a call without a credential,
 * and started as {@code make run} starts it (bin/demo's options) it serves one.
 */
class ProductionProfileIT {
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);
    /** What bin/demo, which {@code make run} runs, passes to turn authentication off. */
    private static final String DEMO_OPTION = "-Dsluice.auth.enabled=false";

    @Test
    void serveInTheProductionProfileRefusesACallWithoutACredential() throws Exception {
        Status.Code answered = listPipelinesWithoutACredential("");
        assertEquals(Status.Code.UNAUTHENTICATED, answered);
    }

    @Test
    void serveAsMakeRunStartsItAnswersACallWithoutACredential() throws Exception {
        assertTrue(Files.readString(Path.of("bin/demo")).contains(DEMO_OPTION), "bin/demo turns authentication off");
        assertEquals(Status.Code.OK, listPipelinesWithoutACredential(DEMO_OPTION));
    }

    /** Starts {@code bin/sluice serve} with the options, waits until it is serving, and lists pipelines without a token. */
    private static Status.Code listPipelinesWithoutACredential(String options) throws Exception {
        Path data = Files.createTempDirectory("production-profile");
        int grpcPort = freePort();
        ProcessBuilder builder = new ProcessBuilder("bin/sluice", "serve").redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(data.resolve("serve.log").toFile());
        builder.environment().put("SLUICE_JAVA_OPTS", "-Dsluice.data-dir=" + data + " -Dquarkus.grpc.server.port=" + grpcPort
                + " -Dquarkus.http.port=" + freePort() + " " + options);
        builder.environment().remove("SLUICE_TOKEN");
        Process server = builder.start();
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", grpcPort, InsecureChannelCredentials.create()).build();
        try {
            awaitServing(channel, server, data.resolve("serve.log"));
            PipelineServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .listPipelines(ListPipelinesRequest.getDefaultInstance());
            return Status.Code.OK;
        } catch (StatusRuntimeException refused) {
            return refused.getStatus().getCode();
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The health service answers without a credential in every profile; a call that waits for the channel to be ready
     * returns once the server listens, or fails at the deadline.
     */
    private static void awaitServing(ManagedChannel channel, Process server, Path log) throws IOException {
        try {
            HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).withWaitForReady()
                    .withDeadlineAfter(START_DEADLINE.toSeconds(), TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
        } catch (StatusRuntimeException notServing) {
            throw new AssertionError("sluice serve was not serving within " + START_DEADLINE + " (alive: " + server.isAlive()
                    + "): " + Files.readString(log), notServing);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
