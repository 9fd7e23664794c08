package io.sluice.api;

import com.google.protobuf.NullValue;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.sluice.proto.v1.ColumnDefinition;
import io.sluice.proto.v1.DatasetSchema;
import io.sluice.proto.v1.DatasetServiceGrpc;
import io.sluice.proto.v1.GetSchemaRequest;
import io.sluice.proto.v1.PreviewRow;
import io.sluice.proto.v1.PreviewTableRequest;
import io.sluice.proto.v1.PreviewTableResponse;
import io.sluice.proto.v1.SchemaVersion;
import io.sluice.proto.v1.SortOrder;
import io.sluice.proto.v1.TableDefinition;
import io.sluice.load.TablePreview;
import io.sluice.runs.Datasets;
import io.sluice.schema.Column;
import io.sluice.schema.TableSchema;
import java.util.List;

@GrpcService
class DatasetGrpcService extends DatasetServiceGrpc.DatasetServiceImplBase {
    private final Datasets datasets;

    DatasetGrpcService(Datasets datasets) {
        this.datasets = datasets;
    }

    @Override
    public void getSchema(GetSchemaRequest request, StreamObserver<DatasetSchema> response) {
        Responses.respond(response, () -> {
            Datasets.DatasetSchema schema = datasets.schema(Responses.required(request.getPipeline(), "pipeline"));
            return DatasetSchema.newBuilder()
                    .setPipeline(schema.pipeline())
                    .setDataset(schema.dataset())
                    .setVersion(schema.current().version())
                    .addAllTables(schema.current().tables().stream().map(DatasetGrpcService::table).toList())
                    .addAllVersions(schema.history().stream().map(version -> SchemaVersion.newBuilder()
                            .setVersion(version.version())
                            .setTime(Timestamp.newBuilder().setSeconds(version.time().getEpochSecond()).setNanos(version.time().getNano()))
                            .setLoadId(version.loadId())
                            .setTables(version.tables())
                            .build()).toList())
                    .build();
        });
    }

    @Override
    public void previewTable(PreviewTableRequest request, StreamObserver<PreviewTableResponse> response) {
        Responses.respond(response, () -> {
            if (request.getLimit() < 0) {
                throw StatusMapper.invalidArgument("limit", "must not be negative");
            }
            int limit = request.getLimit() == 0 ? 10 : Math.min(request.getLimit(), 1000);
            TablePreview preview = datasets.preview(Responses.required(request.getPipeline(), "pipeline"),
                    Responses.required(request.getTable(), "table"), limit);
            return PreviewTableResponse.newBuilder()
                    .addAllColumns(preview.columns())
                    .addAllRows(preview.rows().stream().map(DatasetGrpcService::row).toList())
                    .build();
        });
    }

    private static TableDefinition table(TableSchema table) {
        return TableDefinition.newBuilder()
                .setName(table.name())
                .setParent(table.parent().orElse(""))
                .setResource(table.resource())
                .addAllColumns(table.columns().stream().map(DatasetGrpcService::column).toList())
                .build();
    }

    private static ColumnDefinition column(Column column) {
        return ColumnDefinition.newBuilder()
                .setName(column.name())
                .setDataType(ProtoMapper.dataType(column.type()))
                .setNullable(column.nullable())
                .setPrimaryKey(column.has(Column.Hint.PRIMARY_KEY))
                .setMergeKey(column.has(Column.Hint.MERGE_KEY))
                .setUnique(column.has(Column.Hint.UNIQUE))
                .setPartition(column.has(Column.Hint.PARTITION))
                .setPrecision(column.precision())
                .setScale(column.scale())
                .setVariantOf(column.variantOf().orElse(""))
                .setHardDelete(column.has(Column.Hint.HARD_DELETE))
                .setDedupSort(column.has(Column.Hint.DEDUP_SORT_ASCENDING) ? SortOrder.ASC
                        : column.has(Column.Hint.DEDUP_SORT_DESCENDING) ? SortOrder.DESC : SortOrder.SORT_ORDER_UNSPECIFIED)
                .build();
    }

    private static PreviewRow row(List<Object> values) {
        return PreviewRow.newBuilder().addAllValues(values.stream().map(DatasetGrpcService::value).toList()).build();
    }

    private static Value value(Object value) {
        return switch (value) {
            case null -> Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
            case Boolean bool -> Value.newBuilder().setBoolValue(bool).build();
            case Long number when Math.abs(number) <= 1L << 53 -> Value.newBuilder().setNumberValue(number).build();
            case Integer number -> Value.newBuilder().setNumberValue(number).build();
            case Double number when Double.isFinite(number) -> Value.newBuilder().setNumberValue(number).build();
            default -> Value.newBuilder().setStringValue(value.toString()).build();
        };
    }
}
