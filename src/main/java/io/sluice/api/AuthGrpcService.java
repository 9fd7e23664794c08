package io.sluice.api;

import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.sluice.catalog.ApiKeyStore;
import io.sluice.catalog.AuditEvent;
import io.sluice.catalog.AuditStore;
import io.sluice.catalog.Page;
import io.sluice.catalog.NotFoundException;
import io.sluice.catalog.StoredApiKey;
import io.sluice.proto.v1.ApiKey;
import io.sluice.proto.v1.AuthServiceGrpc;
import io.sluice.proto.v1.CreateApiKeyRequest;
import io.sluice.proto.v1.CreateApiKeyResponse;
import io.sluice.proto.v1.ListApiKeysRequest;
import io.sluice.proto.v1.ListApiKeysResponse;
import io.sluice.proto.v1.ListAuditEventsRequest;
import io.sluice.proto.v1.ListAuditEventsResponse;
import io.sluice.proto.v1.RevokeApiKeyRequest;
import io.sluice.pipeline.LabelSelector;
import io.sluice.security.ApiKeySecrets;
import io.sluice.security.Role;
import java.time.Instant;
import java.util.Optional;

/** The auth service: create, list and revoke the API keys kept (as hashes) in the catalog, and read the audit trail. */
@GrpcService
class AuthGrpcService extends AuthServiceGrpc.AuthServiceImplBase {
    private final ApiKeyStore keys;
    private final AuditStore audit;

    AuthGrpcService(ApiKeyStore keys, AuditStore audit) {
        this.keys = keys;
        this.audit = audit;
    }

    @Override
    public void createApiKey(CreateApiKeyRequest request, StreamObserver<CreateApiKeyResponse> response) {
        Responses.respond(response, () -> {
            Role role = role(request.getRole());
            String scope = scope(request.getScope());
            ApiKeySecrets.NewKey created = ApiKeySecrets.generate();
            StoredApiKey key = new StoredApiKey(created.id(), request.getDescription(), role.userName(), scope,
                    ApiKeySecrets.hash(created.secret()), Instant.now(), Optional.empty());
            keys.insertApiKey(key);
            return CreateApiKeyResponse.newBuilder().setApiKey(apiKey(key)).setSecret(created.secret()).build();
        });
    }

    @Override
    public void listApiKeys(ListApiKeysRequest request, StreamObserver<ListApiKeysResponse> response) {
        Responses.respond(response, () -> ListApiKeysResponse.newBuilder().addAllApiKeys(keys.apiKeys().stream()
                .filter(key -> request.getShowRevoked() || !key.revoked()).map(AuthGrpcService::apiKey).toList()).build());
    }

    @Override
    public void revokeApiKey(RevokeApiKeyRequest request, StreamObserver<ApiKey> response) {
        Responses.respond(response, () -> {
            String id = Responses.required(request.getId(), "id");
            return apiKey(keys.revokeApiKey(id, Instant.now()).orElseThrow(() -> new NotFoundException("API key " + id + " not found")));
        });
    }

    @Override
    public void listAuditEvents(ListAuditEventsRequest request, StreamObserver<ListAuditEventsResponse> response) {
        Responses.respond(response, () -> {
            int pageSize = Responses.pageSize(request.getPageSize());
            Page<AuditEvent> page = audit.auditEvents(AuditMessages.filter(request), pageSize, request.getPageToken());
            return ListAuditEventsResponse.newBuilder()
                    .addAllAuditEvents(page.items().stream().map(AuditMessages::event).toList())
                    .setNextPageToken(page.nextPageToken())
                    .build();
        });
    }

    /** The scope in the one spelling messages show, checked to be a label selector. */
    private static String scope(String text) {
        try {
            return LabelSelector.parse(text).toString();
        } catch (IllegalArgumentException e) {
            throw StatusMapper.invalidArgument("scope", e.getMessage());
        }
    }

    private static Role role(io.sluice.proto.v1.Role role) {
        return switch (role) {
            case VIEWER -> Role.VIEWER;
            case OPERATOR -> Role.OPERATOR;
            case ADMIN -> Role.ADMIN;
            case ROLE_UNSPECIFIED, UNRECOGNIZED -> throw StatusMapper.invalidArgument("role", "must be viewer, operator or admin");
        };
    }

    private static ApiKey apiKey(StoredApiKey key) {
        ApiKey.Builder message = ApiKey.newBuilder().setId(key.id()).setDescription(key.description())
                .setRole(switch (Role.named(key.role()).orElseThrow()) {
                    case VIEWER -> io.sluice.proto.v1.Role.VIEWER;
                    case OPERATOR -> io.sluice.proto.v1.Role.OPERATOR;
                    case ADMIN -> io.sluice.proto.v1.Role.ADMIN;
                })
                .setScope(key.scope())
                .setCreateTime(ProtoValues.timestamp(key.createTime()));
        key.revokeTime().ifPresent(time -> message.setRevokeTime(ProtoValues.timestamp(time)));
        return message.build();
    }
}
