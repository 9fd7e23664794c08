package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.FieldMask;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.proto.v1.AuditEvent;
import io.sluice.proto.v1.AuthServiceGrpc;
import io.sluice.proto.v1.CancelRunRequest;
import io.sluice.proto.v1.CreateApiKeyRequest;
import io.sluice.proto.v1.CreateApiKeyResponse;
import io.sluice.proto.v1.CreatePipelineRequest;
import io.sluice.proto.v1.DeletePipelineRequest;
import io.sluice.proto.v1.GetPipelineRequest;
import io.sluice.proto.v1.ListAuditEventsRequest;
import io.sluice.proto.v1.ListAuditEventsResponse;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.RevokeApiKeyRequest;
import io.sluice.proto.v1.Role;
import io.sluice.proto.v1.Run;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.proto.v1.TriggerRunRequest;
import io.sluice.proto.v1.UpdatePipelineRequest;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.Specs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The audit trail with authentication off (as {@code make run} serves): every changing call is recorded as the
 * anonymous caller's, with its target and outcome, through the real gRPC stubs; reads and validate-only calls are not.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
class AuditTrailTest {
    @GrpcClient("sluice")
    PipelineServiceGrpc.PipelineServiceBlockingStub pipelines;

    @GrpcClient("sluice")
    RunServiceGrpc.RunServiceBlockingStub runs;

    @GrpcClient("sluice")
    AuthServiceGrpc.AuthServiceBlockingStub auth;

    @Test
    void changingCallsAreRecordedWithTheirTargetAndOutcome() {
        Pipeline spec = Specs.samples("audited", "audited.duckdb");
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(spec).setValidateOnly(true).build());
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(spec).build());
        pipelines.getPipeline(GetPipelineRequest.newBuilder().setName("audited").build());
        pipelines.updatePipeline(UpdatePipelineRequest.newBuilder()
                .setPipeline(Pipeline.newBuilder().setName("audited").setDescription("audited pipeline"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("description")).build());
        Run run = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("audited").build());
        try {
            runs.cancelRun(CancelRunRequest.newBuilder().setRunId(run.getId()).build());
        } catch (StatusRuntimeException ended) {
            // The run may have ended before the cancel: then the trail records the cancel's refusal.
            assertEquals(Status.Code.FAILED_PRECONDITION, ended.getStatus().getCode(), ended.getMessage());
        }
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
                () -> pipelines.deletePipeline(DeletePipelineRequest.newBuilder().setName("audited").setEtag("stale").build()));

        List<AuditEvent> events = trail(ListAuditEventsRequest.newBuilder().setPipeline("audited"));
        assertEquals(List.of("DeletePipeline", "CancelRun", "TriggerRun", "UpdatePipeline", "CreatePipeline"),
                events.stream().map(AuditEvent::getAction).toList(), "newest first, without the reads and the validate-only create");
        for (AuditEvent event : events) {
            assertEquals("anonymous", event.getActor(), event.toString());
            assertTrue(event.getPeer().startsWith("127.0.0.1:"), event.toString());
        }
        assertEquals(AuditEvent.Outcome.FAILED, events.getFirst().getOutcome());
        assertEquals(missing.getStatus().getCode().name(), events.getFirst().getStatusCode());
        assertEquals(run.getId(), events.get(1).getRunId());
        assertEquals(run.getId(), events.get(2).getRunId());
        assertEquals(AuditEvent.Outcome.OK, events.get(2).getOutcome());
        assertEquals("OK", events.getLast().getStatusCode());

        List<AuditEvent> paged = new ArrayList<>();
        String token = "";
        do {
            ListAuditEventsResponse page = auth.listAuditEvents(ListAuditEventsRequest.newBuilder().setPipeline("audited")
                    .setPageSize(2).setPageToken(token).build());
            paged.addAll(page.getAuditEventsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        assertEquals(events, paged);
        assertEquals(List.of("TriggerRun"), trail(ListAuditEventsRequest.newBuilder().setPipeline("audited").setAction("TriggerRun"))
                .stream().map(AuditEvent::getAction).toList());
    }

    @Test
    void keysAreRecordedByIdNeverBySecret() {
        CreateApiKeyResponse created = auth.createApiKey(CreateApiKeyRequest.newBuilder().setDescription("audited key")
                .setRole(Role.VIEWER).build());
        String id = created.getApiKey().getId();
        auth.revokeApiKey(RevokeApiKeyRequest.newBuilder().setId(id).build());

        List<AuditEvent> events = trail(ListAuditEventsRequest.newBuilder()).stream()
                .filter(event -> event.getApiKeyId().equals(id)).toList();
        assertEquals(List.of("RevokeApiKey", "CreateApiKey"), events.stream().map(AuditEvent::getAction).toList());
        for (AuditEvent event : events) {
            assertEquals(AuditEvent.Outcome.OK, event.getOutcome());
            assertFalse(event.toString().contains(created.getSecret()), event.toString());
        }
    }

    private List<AuditEvent> trail(ListAuditEventsRequest.Builder request) {
        return auth.listAuditEvents(request.setPageSize(1000).build()).getAuditEventsList();
    }
}
