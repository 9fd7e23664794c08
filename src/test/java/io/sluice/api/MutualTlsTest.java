package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sluice.proto.v1.ListPipelinesRequest;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.testing.SelfSignedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * TLS with client certificates on the gRPC port, configured with certificate files made in the test: a plaintext
 * client and a TLS client without a certificate are refused; one with the trusted certificate is served.
 */
@QuarkusTest
@TestProfile(MutualTlsTest.MutualTls.class)
class MutualTlsTest {
    private static final Path DIRECTORY = temporaryDirectory();
    private static final SelfSignedCertificate SERVER = SelfSignedCertificate.create(DIRECTORY, "server");
    private static final SelfSignedCertificate CLIENT = SelfSignedCertificate.create(DIRECTORY, "client");

    /** The server's certificate and key, and the one client certificate it trusts, required. */
    public static class MutualTls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "sluice.data-dir", DIRECTORY.toString(),
                    "quarkus.datasource.jdbc.url", "jdbc:duckdb:" + DIRECTORY.resolve("catalog.duckdb"),
                    "quarkus.grpc.server.ssl.certificate", SERVER.certificate().toString(),
                    "quarkus.grpc.server.ssl.key", SERVER.key().toString(),
                    "quarkus.grpc.server.ssl.trust-store", CLIENT.trustStore(DIRECTORY.resolve("clients.p12")).toString(),
                    "quarkus.grpc.server.ssl.trust-store-password", "changeit",
                    "quarkus.grpc.server.ssl.client-auth", "REQUIRED");
        }
    }

    @Test
    void aClientWithTheTrustedCertificateIsServed() throws IOException {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", port(), TlsChannelCredentials.newBuilder()
                .trustManager(SERVER.certificate().toFile()).keyManager(CLIENT.certificate().toFile(), CLIENT.key().toFile())
                .build()).build();
        try {
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, health(channel));
            PipelineServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listPipelines(ListPipelinesRequest.getDefaultInstance());
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void theCliSpeaksTlsWithItsCertificate() {
        io.sluice.cli.TlsClients.assertServed("localhost:" + port(), SERVER.certificate(), CLIENT.certificate(), CLIENT.key());
    }

    @Test
    void aPlaintextClientIsRefused() {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", port(), InsecureChannelCredentials.create()).build();
        try {
            assertEquals(Status.Code.UNAVAILABLE, assertThrows(StatusRuntimeException.class, () -> health(channel)).getStatus().getCode());
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void aTlsClientWithoutACertificateIsRefused() throws IOException {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", port(), TlsChannelCredentials.newBuilder()
                .trustManager(SERVER.certificate().toFile()).build()).build();
        try {
            assertEquals(Status.Code.UNAVAILABLE, assertThrows(StatusRuntimeException.class, () -> health(channel)).getStatus().getCode());
        } finally {
            channel.shutdownNow();
        }
    }

    private static HealthCheckResponse.ServingStatus health(Channel channel) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    private static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("sluice-tls-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
