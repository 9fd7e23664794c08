package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.proto.v1.ColumnDefinition;
import io.sluice.proto.v1.ColumnHint;
import io.sluice.proto.v1.CreatePipelineRequest;
import io.sluice.proto.v1.DataType;
import io.sluice.proto.v1.DatasetSchema;
import io.sluice.proto.v1.DatasetServiceGrpc;
import io.sluice.proto.v1.GetSchemaRequest;
import io.sluice.proto.v1.MergeStrategy;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.PreviewTableRequest;
import io.sluice.proto.v1.PreviewTableResponse;
import io.sluice.proto.v1.Resource;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.proto.v1.SortOrder;
import io.sluice.proto.v1.TableDefinition;
import io.sluice.proto.v1.TriggerRunRequest;
import io.sluice.proto.v1.WatchRunRequest;
import io.sluice.proto.v1.WriteDisposition;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
class DatasetServiceTest {
    @GrpcClient("sluice")
    PipelineServiceGrpc.PipelineServiceBlockingStub pipelines;

    @GrpcClient("sluice")
    RunServiceGrpc.RunServiceBlockingStub runs;

    @GrpcClient("sluice")
    DatasetServiceGrpc.DatasetServiceBlockingStub datasets;

    @Test
    void schemaShowsTablesColumnsHintsAndVersions() {
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(Specs.samples("described", "described.duckdb")).build());
        assertEquals(0, datasets.getSchema(GetSchemaRequest.newBuilder().setPipeline("described").build()).getVersion(),
                "nothing loaded yet");

        load("described");
        DatasetSchema schema = datasets.getSchema(GetSchemaRequest.newBuilder().setPipeline("described").build());
        assertEquals("shop", schema.getDataset());
        assertEquals(1, schema.getVersion());
        assertEquals(List.of("events", "events__tags", "customers"), schema.getTablesList().stream().map(TableDefinition::getName).toList());
        TableDefinition tags = schema.getTables(1);
        assertEquals("events", tags.getParent());
        assertEquals(List.of("_sluice_id", "_sluice_parent_id", "_sluice_list_idx", "_sluice_root_id", "value"),
                tags.getColumnsList().stream().map(ColumnDefinition::getName).toList());
        ColumnDefinition occurredAt = schema.getTables(0).getColumnsList().stream()
                .filter(column -> column.getName().equals("occurred_at")).findFirst().orElseThrow();
        assertEquals(DataType.TIMESTAMP, occurredAt.getDataType());
        assertEquals(1, schema.getVersionsCount());
        assertEquals(3, schema.getVersions(0).getTables());

        load("described");
        assertEquals(1, datasets.getSchema(GetSchemaRequest.newBuilder().setPipeline("described").build()).getVersionsCount(),
                "the same data again changes nothing");
    }

    @Test
    void schemaShowsTheMergeHintsAndScd2Columns() throws Exception {
        Path directory = Files.createTempDirectory("merge-hints");
        Files.writeString(directory.resolve("items.jsonl"), "{\"id\": 1, \"version\": 1, \"deleted\": false}\n");
        Pipeline files = Specs.files("hinted", directory.toString(), "items.jsonl", "hinted.duckdb");
        Resource merging = files.getSource().getFilesystem().getResources(0).toBuilder()
                .setWriteDisposition(WriteDisposition.MERGE)
                .setMergeStrategy(MergeStrategy.SCD2)
                .addPrimaryKey("id")
                .addColumns(ColumnHint.newBuilder().setName("version").setDedupSort(SortOrder.DESC))
                .addColumns(ColumnHint.newBuilder().setName("deleted").setHardDelete(true))
                .build();
        Pipeline pipeline = files.toBuilder().setSource(files.getSource().toBuilder()
                .setFilesystem(files.getSource().getFilesystem().toBuilder().setResources(0, merging))).build();
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(pipeline).build());
        load("hinted");

        List<ColumnDefinition> columns = datasets.getSchema(GetSchemaRequest.newBuilder().setPipeline("hinted").build())
                .getTables(0).getColumnsList();
        assertEquals(List.of("_sluice_id", "_sluice_valid_from", "_sluice_valid_to", "_sluice_row_hash", "id", "version", "deleted"),
                columns.stream().map(ColumnDefinition::getName).toList());
        assertEquals(List.of(true, false, false), columns.subList(4, 7).stream().map(ColumnDefinition::getPrimaryKey).toList());
        assertEquals(List.of(SortOrder.SORT_ORDER_UNSPECIFIED, SortOrder.DESC, SortOrder.SORT_ORDER_UNSPECIFIED),
                columns.subList(4, 7).stream().map(ColumnDefinition::getDedupSort).toList());
        assertEquals(List.of(false, false, true), columns.subList(4, 7).stream().map(ColumnDefinition::getHardDelete).toList());
    }

    @Test
    void previewReturnsTheFirstRows() {
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(Specs.samples("previewed", "previewed.duckdb")).build());
        load("previewed");
        PreviewTableResponse preview = datasets.previewTable(PreviewTableRequest.newBuilder()
                .setPipeline("previewed").setTable("customers").setLimit(3).build());
        assertEquals(3, preview.getRowsCount());
        assertTrue(preview.getColumnsList().containsAll(List.of("customer_id", "full_name", "_sluice_load_id")), "the preview's columns: " + preview.getColumnsList());
        int id = preview.getColumnsList().indexOf("customer_id");
        assertEquals(1.0, preview.getRows(0).getValues(id).getNumberValue());

        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> datasets.previewTable(
                PreviewTableRequest.newBuilder().setPipeline("previewed").setTable("nope").build())).getStatus().getCode());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> datasets.getSchema(
                GetSchemaRequest.newBuilder().setPipeline("nobody").build())).getStatus().getCode());
    }

    private void load(String pipeline) {
        String runId = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline(pipeline).build()).getId();
        runs.watchRun(WatchRunRequest.newBuilder().setRunId(runId).build()).forEachRemaining(event -> {
        });
    }
}
