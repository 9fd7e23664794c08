package io.sluice.api;

import io.grpc.MethodDescriptor;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.sluice.proto.v1.AuthServiceGrpc;
import io.sluice.proto.v1.DatasetServiceGrpc;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.security.Role;
import java.util.Map;
import java.util.Optional;

/**
 * The one table of the least role each RPC needs, by full method name. A method not in it needs no less than
 * {@link Role#ADMIN}, so an RPC added without a line here is closed rather than open (MethodRolesTest fails on it).
 */
final class MethodRoles {
    private static final Map<String, Role> ROLES = Map.ofEntries(
            entry(PipelineServiceGrpc.getGetPipelineMethod(), Role.VIEWER),
            entry(PipelineServiceGrpc.getListPipelinesMethod(), Role.VIEWER),
            entry(PipelineServiceGrpc.getValidatePipelineMethod(), Role.VIEWER),
            entry(PipelineServiceGrpc.getListPendingPackagesMethod(), Role.VIEWER),
            entry(PipelineServiceGrpc.getRetryPendingPackageMethod(), Role.OPERATOR),
            entry(PipelineServiceGrpc.getDiscardPendingPackageMethod(), Role.OPERATOR),
            entry(PipelineServiceGrpc.getCreatePipelineMethod(), Role.ADMIN),
            entry(PipelineServiceGrpc.getUpdatePipelineMethod(), Role.ADMIN),
            entry(PipelineServiceGrpc.getDeletePipelineMethod(), Role.ADMIN),
            entry(RunServiceGrpc.getGetRunMethod(), Role.VIEWER),
            entry(RunServiceGrpc.getListRunsMethod(), Role.VIEWER),
            entry(RunServiceGrpc.getWatchRunMethod(), Role.VIEWER),
            entry(RunServiceGrpc.getListRunLogsMethod(), Role.VIEWER),
            entry(RunServiceGrpc.getTriggerRunMethod(), Role.OPERATOR),
            entry(RunServiceGrpc.getCancelRunMethod(), Role.OPERATOR),
            entry(RunServiceGrpc.getRetryRunMethod(), Role.OPERATOR),
            entry(DatasetServiceGrpc.getGetSchemaMethod(), Role.VIEWER),
            entry(DatasetServiceGrpc.getPreviewTableMethod(), Role.VIEWER),
            entry(AuthServiceGrpc.getCreateApiKeyMethod(), Role.ADMIN),
            entry(AuthServiceGrpc.getListApiKeysMethod(), Role.ADMIN),
            entry(AuthServiceGrpc.getRevokeApiKeyMethod(), Role.ADMIN),
            entry(AuthServiceGrpc.getListAuditEventsMethod(), Role.ADMIN),
            // Reflection lists the services and their messages, nothing of the data; when it needs a credential at all
            // (sluice.auth.open-reflection), any role will do.
            entry(ServerReflectionGrpc.getServerReflectionInfoMethod(), Role.VIEWER),
            Map.entry("grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", Role.VIEWER));

    /** The prefix of the reflection services' names (v1 and v1alpha). */
    static final String REFLECTION_SERVICES = "grpc.reflection.";

    private MethodRoles() {
    }

    /**
     * Whether the service's methods reach beyond pipelines (API keys, the audit trail), so that a caller limited to some
     * pipelines by a scope may not call them: a scoped key could otherwise mint itself an unscoped one.
     */
    static boolean spansAllPipelines(String serviceName) {
        return AuthServiceGrpc.SERVICE_NAME.equals(serviceName);
    }

    /** The least role the method needs: {@link Role#ADMIN} for a method the table does not know. */
    static Role required(String fullMethodName) {
        return ROLES.getOrDefault(fullMethodName, Role.ADMIN);
    }

    /** The role the table gives the method, if it names it. */
    static Optional<Role> listed(String fullMethodName) {
        return Optional.ofNullable(ROLES.get(fullMethodName));
    }

    private static Map.Entry<String, Role> entry(MethodDescriptor<?, ?> method, Role role) {
        return Map.entry(method.getFullMethodName(), role);
    }
}
