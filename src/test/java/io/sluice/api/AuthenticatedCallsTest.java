package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.FieldMask;
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
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.sluice.proto.v1.AuditEvent;
import io.sluice.proto.v1.AuthServiceGrpc;
import io.sluice.proto.v1.CancelRunRequest;
import io.sluice.proto.v1.CreateApiKeyRequest;
import io.sluice.proto.v1.CreateApiKeyResponse;
import io.sluice.proto.v1.CreatePipelineRequest;
import io.sluice.proto.v1.DatasetServiceGrpc;
import io.sluice.proto.v1.DeletePipelineRequest;
import io.sluice.proto.v1.GetPipelineRequest;
import io.sluice.proto.v1.GetRunRequest;
import io.sluice.proto.v1.GetSchemaRequest;
import io.sluice.proto.v1.ListAuditEventsRequest;
import io.sluice.proto.v1.ListPipelinesRequest;
import io.sluice.proto.v1.ListRunsRequest;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.RevokeApiKeyRequest;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.proto.v1.TriggerRunRequest;
import io.sluice.proto.v1.UpdatePipelineRequest;
import io.sluice.security.ApiKeySecrets;
import io.sluice.security.Role;
import io.sluice.testing.Specs;
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
 * were signed with another key, API keys that are wrong or revoked, callers scoped to pipelines by label, and the audit
 * trail naming who called. Keys and tokens are made here.
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

    /**
     * Every role, unscoped and scoped to a label, against every RPC of every service: below the RPC's role, refused
     * naming it; at or above, let through — except a scoped caller on the services that span all pipelines.
     */
    @Test
    void everyRoleAgainstEveryRpc() {
        for (Role role : Role.values()) {
            for (String scope : List.of("", "team=billing")) {
                String token = jwt(role, scope);
                for (MethodDescriptor<?, ?> method : SluiceServices.methods()) {
                    Role required = MethodRoles.required(method.getFullMethodName());
                    Status status = call(method, token);
                    String what = role.userName() + " scoped to '" + scope + "' calling " + method.getFullMethodName() + ": " + status;
                    if (!role.includes(required)) {
                        assertEquals(Status.Code.PERMISSION_DENIED, status.getCode(), what);
                        assertTrue(status.getDescription().contains("needs the role " + required.userName()), what);
                    } else if (!scope.isEmpty() && MethodRoles.spansAllPipelines(method.getServiceName())) {
                        assertEquals(Status.Code.PERMISSION_DENIED, status.getCode(), what);
                        assertTrue(status.getDescription().contains("needs a caller without a scope"), what);
                    } else {
                        assertNotEquals(Status.Code.UNAUTHENTICATED, status.getCode(), what);
                        assertNotEquals(Status.Code.PERMISSION_DENIED, status.getCode(), what);
                    }
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

    @Test
    void theAuditTrailNamesWhoDidWhatAndWhoWasRefused() {
        PipelineServiceGrpc.PipelineServiceBlockingStub admin = pipelines(jwt(Role.ADMIN));
        admin.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(Specs.samples("audit-on", "audit-on.duckdb")).build());
        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class, () -> pipelines(jwt(Role.VIEWER))
                .deletePipeline(DeletePipelineRequest.newBuilder().setName("audit-on").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
        assertEquals(Status.Code.UNAUTHENTICATED, call(PipelineServiceGrpc.getCreatePipelineMethod(), null).getCode());

        AuthServiceGrpc.AuthServiceBlockingStub auth = auth(jwt(Role.ADMIN));
        List<AuditEvent> onPipeline = auth.listAuditEvents(ListAuditEventsRequest.newBuilder().setPipeline("audit-on").build())
                .getAuditEventsList();
        assertEquals(List.of("DeletePipeline jwt:viewer-user DENIED PERMISSION_DENIED", "CreatePipeline jwt:admin-user OK OK"),
                onPipeline.stream().map(event -> event.getAction() + " " + event.getActor() + " " + event.getOutcome() + " "
                        + event.getStatusCode()).toList());
        List<AuditEvent> refused = auth.listAuditEvents(ListAuditEventsRequest.newBuilder().setActor("unauthenticated")
                .setAction("CreatePipeline").build()).getAuditEventsList();
        assertFalse(refused.isEmpty(), "a call without a credential is recorded");
        assertEquals("UNAUTHENTICATED", refused.getFirst().getStatusCode());
        assertTrue(refused.getFirst().getPeer().startsWith("127.0.0.1:"), refused.getFirst().getPeer());
    }

    @Test
    void aScopedCallerSeesAndActsOnlyOnThePipelinesItsScopeMatches() {
        PipelineServiceGrpc.PipelineServiceBlockingStub admin = pipelines(jwt(Role.ADMIN));
        admin.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(labelled("scope-billing", "billing")).build());
        admin.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(labelled("scope-search", "search")).build());
        io.sluice.proto.v1.Run searchRun = runs(jwt(Role.ADMIN)).triggerRun(TriggerRunRequest.newBuilder().setPipeline("scope-search").build());
        CreateApiKeyResponse key = auth(jwt(Role.ADMIN)).createApiKey(CreateApiKeyRequest.newBuilder().setDescription("billing ops")
                .setRole(io.sluice.proto.v1.Role.OPERATOR).setScope("team=billing").build());
        assertEquals("team=billing", key.getApiKey().getScope());
        String billing = key.getSecret();

        List<String> listed = pipelines(billing).listPipelines(ListPipelinesRequest.getDefaultInstance()).getPipelinesList().stream()
                .map(Pipeline::getName).toList();
        assertTrue(listed.contains("scope-billing"), listed.toString());
        assertFalse(listed.contains("scope-search"), listed.toString());
        pipelines(billing).getPipeline(GetPipelineRequest.newBuilder().setName("scope-billing").build());
        io.sluice.proto.v1.Run billingRun = runs(billing).triggerRun(TriggerRunRequest.newBuilder().setPipeline("scope-billing").build());
        assertEquals(billingRun.getId(), runs(billing).getRun(GetRunRequest.newBuilder().setRunId(billingRun.getId()).build()).getId());
        List<String> runPipelines = runs(billing).listRuns(ListRunsRequest.newBuilder().setPageSize(1000).build()).getRunsList().stream()
                .map(io.sluice.proto.v1.Run::getPipeline).distinct().toList();
        assertEquals(List.of("scope-billing"), runPipelines);

        for (Runnable outside : List.<Runnable>of(
                () -> pipelines(billing).getPipeline(GetPipelineRequest.newBuilder().setName("scope-search").build()),
                () -> runs(billing).triggerRun(TriggerRunRequest.newBuilder().setPipeline("scope-search").build()),
                () -> runs(billing).getRun(GetRunRequest.newBuilder().setRunId(searchRun.getId()).build()),
                () -> runs(billing).cancelRun(CancelRunRequest.newBuilder().setRunId(searchRun.getId()).build()),
                () -> DatasetServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(billing)).withDeadlineAfter(20, TimeUnit.SECONDS)
                        .getSchema(GetSchemaRequest.newBuilder().setPipeline("scope-search").build()))) {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, outside::run);
            assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode(), refused.getMessage());
            assertTrue(refused.getStatus().getDescription().contains("pipeline scope-search is outside the scope team=billing of key:"),
                    refused.getStatus().getDescription());
        }
    }

    @Test
    void aScopedAdminWritesOnlyInsideItsScopeAndManagesNoKeys() {
        String billingAdmin = Jwt.issuer(ISSUER).subject("billing-admin").groups(Set.of("admin")).claim("sluice_scope", "team=billing")
                .expiresIn(300).sign(SIGNING.getPrivate());
        pipelines(billingAdmin).createPipeline(CreatePipelineRequest.newBuilder().setPipeline(labelled("scoped-write", "billing")).build());
        StatusRuntimeException outside = assertThrows(StatusRuntimeException.class, () -> pipelines(billingAdmin).createPipeline(
                CreatePipelineRequest.newBuilder().setPipeline(labelled("scoped-elsewhere", "search")).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, outside.getStatus().getCode());
        StatusRuntimeException relabel = assertThrows(StatusRuntimeException.class, () -> pipelines(billingAdmin).updatePipeline(
                UpdatePipelineRequest.newBuilder().setPipeline(Pipeline.newBuilder().setName("scoped-write").putLabels("team", "search"))
                        .setUpdateMask(FieldMask.newBuilder().addPaths("labels")).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, relabel.getStatus().getCode());

        Status keys = call(AuthServiceGrpc.getCreateApiKeyMethod(), billingAdmin);
        assertEquals(Status.Code.PERMISSION_DENIED, keys.getCode());
        assertTrue(keys.getDescription().contains("needs a caller without a scope; jwt:billing-admin is limited to the pipelines"
                + " matching team=billing"), keys.getDescription());
        assertEquals(Status.Code.PERMISSION_DENIED, call(AuthServiceGrpc.getListAuditEventsMethod(), billingAdmin).getCode());

        String badScope = Jwt.issuer(ISSUER).subject("odd").groups(Set.of("admin")).claim("sluice_scope", "team")
                .expiresIn(300).sign(SIGNING.getPrivate());
        assertEquals(Status.Code.UNAUTHENTICATED, call(PipelineServiceGrpc.getListPipelinesMethod(), badScope).getCode());
        StatusRuntimeException invalid = assertThrows(StatusRuntimeException.class, () -> auth(jwt(Role.ADMIN)).createApiKey(
                CreateApiKeyRequest.newBuilder().setRole(io.sluice.proto.v1.Role.VIEWER).setScope("team").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, invalid.getStatus().getCode());
    }

    private static Pipeline labelled(String name, String team) {
        return Specs.samples(name, name + ".duckdb").toBuilder().putLabels("team", team).build();
    }

    private PipelineServiceGrpc.PipelineServiceBlockingStub pipelines(String token) {
        return PipelineServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(token)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private RunServiceGrpc.RunServiceBlockingStub runs(String token) {
        return RunServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(token)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private AuthServiceGrpc.AuthServiceBlockingStub auth(String token) {
        return AuthServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(token)).withDeadlineAfter(20, TimeUnit.SECONDS);
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
        return jwt(role, "");
    }

    /** A token of the role, limited by its {@code sluice_scope} claim when the scope is not empty. */
    private static String jwt(Role role, String scope) {
        JwtClaimsBuilder claims = Jwt.issuer(ISSUER).subject(role.userName() + "-user")
                .groups(Set.of(role.userName(), "unrelated-group"));
        if (!scope.isEmpty()) {
            claims.claim("sluice_scope", scope);
        }
        return claims.expiresIn(300).sign(SIGNING.getPrivate());
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
