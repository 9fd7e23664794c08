package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.MethodDescriptor;
import io.sluice.proto.v1.AuthServiceGrpc;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.security.Role;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The role table names every RPC the API defines: an RPC added without a line there fails here. */
class MethodRolesTest {
    @Test
    void everyRpcHasARole() {
        List<MethodDescriptor<?, ?>> methods = SluiceServices.methods();
        assertTrue(methods.size() >= 19, "found only " + methods);
        List<String> missing = methods.stream().map(MethodDescriptor::getFullMethodName)
                .filter(name -> MethodRoles.listed(name).isEmpty()).toList();
        assertEquals(List.of(), missing, "RPCs missing from MethodRoles");
    }

    /** What only the viewer role may not do changes something, and so is in the audit trail, but for two reads. */
    @Test
    void everyRpcBeyondTheViewerRoleIsAuditedButTheAdminsReads() {
        Set<String> adminReads = Set.of(AuthServiceGrpc.getListApiKeysMethod().getFullMethodName(),
                AuthServiceGrpc.getListAuditEventsMethod().getFullMethodName());
        List<String> unaudited = SluiceServices.methods().stream().map(MethodDescriptor::getFullMethodName)
                .filter(name -> MethodRoles.required(name) != Role.VIEWER && !adminReads.contains(name))
                .filter(name -> AuditedMethods.of(name).isEmpty()).toList();
        assertEquals(List.of(), unaudited, "RPCs that change something but are missing from AuditedMethods");
    }

    @Test
    void anUnknownMethodNeedsAdmin() {
        assertEquals(Role.ADMIN, MethodRoles.required("sluice.v1.NewService/DoSomething"));
        assertEquals(Role.VIEWER, MethodRoles.required(RunServiceGrpc.getWatchRunMethod().getFullMethodName()));
        assertEquals(Role.OPERATOR, MethodRoles.required(PipelineServiceGrpc.getRetryPendingPackageMethod().getFullMethodName()));
    }
}
