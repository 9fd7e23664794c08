package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.FieldMask;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.proto.v1.CreatePipelineRequest;
import io.sluice.proto.v1.DeletePipelineRequest;
import io.sluice.proto.v1.GetPipelineRequest;
import io.sluice.proto.v1.ListPipelinesRequest;
import io.sluice.proto.v1.ListPipelinesResponse;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.SpecProblem;
import io.sluice.proto.v1.UpdatePipelineRequest;
import io.sluice.proto.v1.ValidatePipelineRequest;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.Specs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
class PipelineServiceTest {
    @GrpcClient("sluice")
    PipelineServiceGrpc.PipelineServiceBlockingStub pipelines;

    @Test
    void createGetUpdateDelete() {
        Pipeline created = pipelines.createPipeline(CreatePipelineRequest.newBuilder()
                .setPipeline(Specs.samples("crud", "crud.duckdb")).build());
        assertEquals("crud", created.getName());
        assertFalse(created.getEtag().isEmpty(), "a created pipeline has an etag");
        assertTrue(created.hasCreateTime(), "a created pipeline has a create time");

        Pipeline read = pipelines.getPipeline(GetPipelineRequest.newBuilder().setName("crud").build());
        assertEquals(created, read);

        Pipeline updated = pipelines.updatePipeline(UpdatePipelineRequest.newBuilder()
                .setPipeline(Pipeline.newBuilder().setName("crud").setDescription("now described").setEtag(read.getEtag()))
                .setUpdateMask(FieldMask.newBuilder().addPaths("description"))
                .build());
        assertEquals("now described", updated.getDescription());
        assertEquals(read.getSource(), updated.getSource(), "fields outside the mask stay");
        assertNotEquals(read.getEtag(), updated.getEtag());

        StatusRuntimeException stale = assertThrows(StatusRuntimeException.class, () -> pipelines.updatePipeline(
                UpdatePipelineRequest.newBuilder()
                        .setPipeline(Pipeline.newBuilder().setName("crud").setDescription("lost update").setEtag(read.getEtag()))
                        .setUpdateMask(FieldMask.newBuilder().addPaths("description"))
                        .build()));
        assertEquals(Status.Code.ABORTED, stale.getStatus().getCode());

        pipelines.deletePipeline(DeletePipelineRequest.newBuilder().setName("crud").build());
        StatusRuntimeException gone = assertThrows(StatusRuntimeException.class,
                () -> pipelines.getPipeline(GetPipelineRequest.newBuilder().setName("crud").build()));
        assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());
    }

    @Test
    void duplicateNameIsAlreadyExistsAndChangesNothing() {
        Pipeline first = pipelines.createPipeline(CreatePipelineRequest.newBuilder()
                .setPipeline(Specs.samples("twice", "a.duckdb")).build());
        StatusRuntimeException duplicate = assertThrows(StatusRuntimeException.class, () -> pipelines.createPipeline(
                CreatePipelineRequest.newBuilder().setPipeline(Specs.samples("twice", "b.duckdb")).build()));
        assertEquals(Status.Code.ALREADY_EXISTS, duplicate.getStatus().getCode());
        assertEquals(first, pipelines.getPipeline(GetPipelineRequest.newBuilder().setName("twice").build()));
    }

    @Test
    void invalidSpecIsInvalidArgumentWithEveryFieldViolation() {
        Pipeline invalid = Specs.samples("Not A Name", "x.duckdb").toBuilder().clearDestination().setTimeout("soon").build();
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> pipelines.createPipeline(
                CreatePipelineRequest.newBuilder().setPipeline(invalid).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertEquals(List.of("name", "destination", "timeout"), violations(refused));
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> pipelines.getPipeline(
                GetPipelineRequest.newBuilder().setName("Not A Name").build())).getStatus().getCode());
    }

    @Test
    void anEnumNumberTheApiDoesNotDefineIsRefusedByItsPathNeverReadAsTheDefault() {
        Pipeline.Builder newer = Specs.samples("newer", "x.duckdb").toBuilder();
        newer.getSourceBuilder().getFilesystemBuilder().getResourcesBuilder(1)
                .setWriteDispositionValue(999)
                .addColumns(io.sluice.proto.v1.ColumnHint.newBuilder().setName("id").setDataTypeValue(42))
                .setSchemaContract(io.sluice.proto.v1.SchemaContract.newBuilder().setColumnsValue(7));
        Pipeline fromNewerClient = newer.build();
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> pipelines.createPipeline(
                CreatePipelineRequest.newBuilder().setPipeline(fromNewerClient).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        String at = "source.filesystem.resources[1]";
        assertEquals(List.of(at + ".write_disposition", at + ".columns[0].data_type", at + ".schema_contract.columns"),
                violations(refused));
        assertTrue(refused.getStatus().getDescription().contains(
                at + ".write_disposition: unknown value 999; expected one of APPEND, REPLACE, MERGE"), refused.getStatus().getDescription());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> pipelines.getPipeline(
                GetPipelineRequest.newBuilder().setName("newer").build())).getStatus().getCode());
    }

    @Test
    void validateOnlyStoresNothing() {
        Pipeline checked = pipelines.createPipeline(CreatePipelineRequest.newBuilder()
                .setPipeline(Specs.samples("dry", "dry.duckdb")).setValidateOnly(true).build());
        assertEquals("dry", checked.getName());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> pipelines.getPipeline(
                GetPipelineRequest.newBuilder().setName("dry").build())).getStatus().getCode());
    }

    @Test
    void validateReturnsProblemsInsteadOfAnError() {
        var response = pipelines.validatePipeline(ValidatePipelineRequest.newBuilder()
                .setPipeline(Specs.samples("ok-but", "x.duckdb").toBuilder().setTimeout("-1")
                        .addAlerts(io.sluice.proto.v1.Alert.newBuilder().addOn(io.sluice.proto.v1.RunState.FAILED)))
                .build());
        assertEquals(List.of("timeout", "alerts[0]"), response.getProblemsList().stream().map(SpecProblem::getField).toList());
        assertTrue(response.getProblemsList().stream().allMatch(problem -> problem.getKind() == SpecProblem.Kind.INVALID),
                response.getProblemsList().toString());
    }

    @Test
    void listPagesThroughEveryPipeline() {
        for (int i = 0; i < 5; i++) {
            pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(Specs.samples("page-" + i, "p.duckdb")).build());
        }
        List<String> names = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListPipelinesResponse page = pipelines.listPipelines(ListPipelinesRequest.newBuilder()
                    .setPageSize(2).setPageToken(token).build());
            page.getPipelinesList().stream().map(Pipeline::getName).filter(name -> name.startsWith("page-")).forEach(names::add);
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertEquals(List.of("page-0", "page-1", "page-2", "page-3", "page-4"), names);
        assertTrue(pages >= 3, "listed in pages, got " + pages);
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class, () -> pipelines.listPipelines(
                ListPipelinesRequest.newBuilder().setPageToken("!!").build())).getStatus().getCode());
    }

    @Test
    void updateCanCreateWhenAllowedMissing() {
        Pipeline applied = pipelines.updatePipeline(UpdatePipelineRequest.newBuilder()
                .setPipeline(Specs.samples("applied", "x.duckdb")).setAllowMissing(true).build());
        assertEquals("applied", applied.getName());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> pipelines.updatePipeline(
                UpdatePipelineRequest.newBuilder().setPipeline(Specs.samples("absent", "x.duckdb")).build()))
                .getStatus().getCode());
    }

    static List<String> violations(StatusRuntimeException failure) {
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        return status.getDetailsList().stream()
                .filter(detail -> detail.is(BadRequest.class))
                .flatMap(detail -> {
                    try {
                        return detail.unpack(BadRequest.class).getFieldViolationsList().stream();
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new AssertionError(e);
                    }
                })
                .map(BadRequest.FieldViolation::getField)
                .toList();
    }
}
