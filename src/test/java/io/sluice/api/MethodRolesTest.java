package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.MethodDescriptor;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.security.Role;
import java.util.List;
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

    @Test
    void anUnknownMethodNeedsAdmin() {
        assertEquals(Role.ADMIN, MethodRoles.required("sluice.v1.NewService/DoSomething"));
        assertEquals(Role.VIEWER, MethodRoles.required(RunServiceGrpc.getWatchRunMethod().getFullMethodName()));
        assertEquals(Role.OPERATOR, MethodRoles.required(PipelineServiceGrpc.getRetryPendingPackageMethod().getFullMethodName()));
    }
}
