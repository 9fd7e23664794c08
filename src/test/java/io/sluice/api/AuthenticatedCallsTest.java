package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import io.sluice.proto.v1.AuthServiceGrpc;
import io.sluice.proto.v1.CreateApiKeyRequest;
import io.sluice.proto.v1.CreateApiKeyResponse;
import io.sluice.proto.v1.ListPipelinesRequest;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.RevokeApiKeyRequest;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.security.ApiKeySecrets;
import io.sluice.security.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Authentication and roles on the real gRPC server with auth on: every role against every RPC, JWTs that expired or
 * were signed with another key, API keys that are wrong or revoked. Keys and tokens are made here.
 */
@QuarkusTest
@TestProfile(AuthenticatedCallsTest.AuthOn.class)
class AuthenticatedCallsTest {
    private static final String ISSUER = "https://identity.example.test";
    private static final KeyPair SIGNING = rsaKeyPair();
    private static final String CONFIGURED_VIEWER_KEY = ApiKeySecrets.generate().secret();
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** Auth on, JWTs checked with the test's public key, and one API key given as config (a viewer). */
    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path directory = Files.createTempDirectory("sluice-auth-test-");
                Path publicKey = Files.writeString(directory.resolve("jwt-public.pem"), "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder().encodeToString(SIGNING.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
                return Map.of(
                        "sluice.data-dir", directory.toString(),
                        "quarkus.datasource.jdbc.url", "jdbc:duckdb:" + directory.resolve("catalog.duckdb"),
                        "sluice.auth.enabled", "true",
                        "sluice.auth.jwt.public-key", publicKey.toString(),
                        "sluice.auth.jwt.issuer", ISSUER,
                        "sluice.auth.api-keys.ci.hash", ApiKeySecrets.hash(CONFIGURED_VIEWER_KEY),
                        "sluice.auth.api-keys.ci.role", "viewer");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = Grpc.newChannelBuilderForAddress("localhost", port, InsecureChannelCredentials.create()).build();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void everyRoleAgainstEveryRpc() {
        for (Role role : Role.values()) {
            String token = jwt(role);
            for (MethodDescriptor<?, ?> method : SluiceServices.methods()) {
                Role required = MethodRoles.required(method.getFullMethodName());
                Status status = call(method, token);
                String what = role.userName() + " calling " + method.getFullMethodName() + ": " + status;
                if (role.includes(required)) {
                    assertNotEquals(Status.Code.UNAUTHENTICATED, status.getCode(), what);
                    assertNotEquals(Status.Code.PERMISSION_DENIED, status.getCode(), what);
                } else {
                    assertEquals(Status.Code.PERMISSION_DENIED, status.getCode(), what);
                    assertTrue(status.getDescription().contains("needs the role " + required.userName()), what);
                }
            }
        }
    }

    @Test
    void aCallWithoutACredentialIsRefusedButHealthChecksPass() {
        assertEquals(Status.Code.UNAUTHENTICATED, call(PipelineServiceGrpc.getListPipelinesMethod(), null).getCode());
        assertEquals(Status.Code.UNAUTHENTICATED, call(PipelineServiceGrpc.getListPipelinesMethod(), "").getCode());
        HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
    }

    @Test
    void theRoleMayComeFromTheRolesClaim() {
        String operator = Jwt.issuer(ISSUER).subject("robot").claim("roles", List.of("operator")).expiresIn(300).sign(SIGNING.getPrivate());
        assertEquals(Status.Code.INVALID_ARGUMENT, call(RunServiceGrpc.getTriggerRunMethod(), operator).getCode());
        Status denied = call(PipelineServiceGrpc.getDeletePipelineMethod(), operator);
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getCode());
        assertTrue(denied.getDescription().contains("needs the role admin; jwt:robot has the role operator"), denied.getDescription());
    }

    @Test
    void expiredForgedAndForeignJwtsAreRefused() {
        String expired = Jwt.issuer(ISSUER).subject("alice").groups(Set.of("admin"))
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600)).sign(SIGNING.getPrivate());
        String forged = Jwt.issuer(ISSUER).subject("mallory").groups(Set.of("admin")).expiresIn(300).sign(rsaKeyPair().getPrivate());
        String otherIssuer = Jwt.issuer("https://elsewhere.test").subject("alice").groups(Set.of("admin")).expiresIn(300)
                .sign(SIGNING.getPrivate());
        String noRole = Jwt.issuer(ISSUER).subject("alice").groups(Set.of("finance")).expiresIn(300).sign(SIGNING.getPrivate());
        for (String token : List.of(expired, forged, otherIssuer, noRole, "not.a.jwt")) {
            assertEquals(Status.Code.UNAUTHENTICATED, call(PipelineServiceGrpc.getListPipelinesMethod(), token).getCode(), token);
        }
    }

    @Test
    void apiKeysCanBeCreatedUsedAndRevoked() {
        AuthServiceGrpc.AuthServiceBlockingStub keys = AuthServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(bearer(jwt(Role.ADMIN))).withDeadlineAfter(10, TimeUnit.SECONDS);
        CreateApiKeyResponse created = keys.createApiKey(CreateApiKeyRequest.newBuilder().setDescription("deploy job")
                .setRole(io.sluice.proto.v1.Role.OPERATOR).build());
        String secret = created.getSecret();
        assertTrue(secret.startsWith("sk_" + created.getApiKey().getId() + "_"), secret);

        assertEquals(Status.Code.OK, call(PipelineServiceGrpc.getListPipelinesMethod(), secret).getCode());
        assertEquals(Status.Code.INVALID_ARGUMENT, call(RunServiceGrpc.getTriggerRunMethod(), secret).getCode());
        assertEquals(Status.Code.PERMISSION_DENIED, call(PipelineServiceGrpc.getCreatePipelineMethod(), secret).getCode());

        String wrong = secret.substring(0, secret.length() - 4) + (secret.endsWith("0000") ? "1111" : "0000");
        assertEquals(Status.Code.UNAUTHENTICATED, call(PipelineServiceGrpc.getListPipelinesMethod(), wrong).getCode());
        assertEquals(Status.Code.UNAUTHENTICATED, call(PipelineServiceGrpc.getListPipelinesMethod(),
                ApiKeySecrets.generate().secret()).getCode());

        keys.revokeApiKey(RevokeApiKeyRequest.newBuilder().setId(created.getApiKey().getId()).build());
        Status revoked = call(PipelineServiceGrpc.getListPipelinesMethod(), secret);
        assertEquals(Status.Code.UNAUTHENTICATED, revoked.getCode());
        assertTrue(revoked.getDescription().contains("revoked"), revoked.getDescription());
        assertTrue(keys.listApiKeys(io.sluice.proto.v1.ListApiKeysRequest.getDefaultInstance()).getApiKeysList().stream()
                .noneMatch(key -> key.getId().equals(created.getApiKey().getId())));
    }

    @Test
    void aKeyGivenAsConfigHoldsItsRole() {
        assertEquals(Status.Code.OK, call(PipelineServiceGrpc.getListPipelinesMethod(), CONFIGURED_VIEWER_KEY).getCode());
        Status denied = call(RunServiceGrpc.getTriggerRunMethod(), CONFIGURED_VIEWER_KEY);
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getCode());
        assertTrue(denied.getDescription().contains("needs the role operator; key:ci has the role viewer"), denied.getDescription());
        // A generated stub with call credentials, as a service calling Sluice would use.
        PipelineServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(CONFIGURED_VIEWER_KEY))
                .withDeadlineAfter(10, TimeUnit.SECONDS).listPipelines(ListPipelinesRequest.getDefaultInstance());
    }

    /** Calls the method with its empty request: the outcome's status (OK, or the error the server answered). */
    private <Q, A> Status call(MethodDescriptor<Q, A> method, String token) {
        @SuppressWarnings("unchecked")
        Q request = ((MethodDescriptor.PrototypeMarshaller<Q>) method.getRequestMarshaller()).getMessagePrototype();
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS);
        if (token != null) {
            options = options.withCallCredentials(bearer(token));
        }
        try {
            switch (method.getType()) {
                case UNARY -> ClientCalls.blockingUnaryCall(channel, method, options, request);
                case SERVER_STREAMING -> {
                    Iterator<A> answers = ClientCalls.blockingServerStreamingCall(channel, method, options, request);
                    answers.forEachRemaining(answer -> { });
                }
                case CLIENT_STREAMING, BIDI_STREAMING, UNKNOWN -> throw new IllegalArgumentException("the API has no such RPC: " + method);
            }
            return Status.OK;
        } catch (StatusRuntimeException failure) {
            return failure.getStatus();
        }
    }

    private static String jwt(Role role) {
        return Jwt.issuer(ISSUER).subject(role.userName() + "-user").groups(Set.of(role.userName(), "unrelated-group"))
                .expiresIn(300).sign(SIGNING.getPrivate());
    }

    private static CallCredentials bearer(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo request, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(AUTHORIZATION, "Bearer " + token);
                applier.apply(headers);
            }
        };
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime makes RSA keys", e);
        }
    }
}
