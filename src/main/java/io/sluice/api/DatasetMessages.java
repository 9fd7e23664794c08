package io.sluice.api;

import com.google.protobuf.NullValue;
import com.google.protobuf.Value;
import io.sluice.load.TablePreview;
import io.sluice.proto.v1.ColumnDefinition;
import io.sluice.proto.v1.DatasetSchema;
import io.sluice.proto.v1.PreviewRow;
import io.sluice.proto.v1.PreviewTableResponse;
import io.sluice.proto.v1.SchemaVersion;
import io.sluice.proto.v1.SortOrder;
import io.sluice.proto.v1.TableDefinition;
import io.sluice.runs.Datasets;
import io.sluice.schema.Column;
import io.sluice.schema.TableSchema;
import java.util.List;

/** The dataset service's messages: a pipeline's schema with its version history, and the rows of a table preview. */
final class DatasetMessages {
    private DatasetMessages() {
    }

    static DatasetSchema schema(Datasets.DatasetSchema schema) {
        return DatasetSchema.newBuilder()
                .setPipeline(schema.pipeline())
                .setDataset(schema.dataset())
                .setVersion(schema.current().version())
                .addAllTables(schema.current().tables().stream().map(DatasetMessages::table).toList())
                .addAllVersions(schema.history().stream().map(version -> SchemaVersion.newBuilder()
                        .setVersion(version.version())
                        .setTime(ProtoValues.timestamp(version.time()))
                        .setLoadId(version.loadId())
                        .setTables(version.tables())
                        .build()).toList())
                .build();
    }

    /** A preview's row limit as the request reads it: 0 means 10, more than 1000 means 1000. */
    static int previewLimit(int requested) {
        if (requested < 0) {
            throw StatusMapper.invalidArgument("limit", "must not be negative");
        }
        return requested == 0 ? 10 : Math.min(requested, 1000);
    }

    static PreviewTableResponse preview(TablePreview preview) {
        return PreviewTableResponse.newBuilder()
                .addAllColumns(preview.columns())
                .addAllRows(preview.rows().stream().map(DatasetMessages::row).toList())
                .build();
    }

    private static TableDefinition table(TableSchema table) {
        return TableDefinition.newBuilder()
                .setName(table.name())
                .setParent(table.parent().orElse(""))
                .setResource(table.resource())
                .addAllColumns(table.columns().stream().map(DatasetMessages::column).toList())
                .build();
    }

    private static ColumnDefinition column(Column column) {
        return ColumnDefinition.newBuilder()
                .setName(column.name())
                .setDataType(ProtoValues.dataType(column.type()))
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
        return PreviewRow.newBuilder().addAllValues(values.stream().map(DatasetMessages::value).toList()).build();
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
