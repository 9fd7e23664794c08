package io.sluice.cli;

import io.sluice.proto.v1.RunEvent;
import io.sluice.proto.v1.RunSummary;
import io.sluice.schema.DataType;
import io.sluice.schema.SchemaChange;
import java.time.Duration;
import java.util.Optional;

/** Shows run events received through the gRPC API. */
final class ProtoEvents {
    private ProtoEvents() {
    }

    static void show(RunEvent event, ProgressPrinter printer) {
        switch (event.getKindCase()) {
            case SNAPSHOT -> printer.run(event.getSnapshot().getRun().getId(), event.getSnapshot().getRun().getPipeline(),
                    event.getSnapshot().getRun().getState().name());
            case STATE_CHANGE -> printer.state(event.getStateChange().getFrom().name(), event.getStateChange().getTo().name(),
                    event.getStateChange().getReason());
            case PROGRESS -> printer.progress(event.getProgress().getTable(), event.getProgress().getStage().name(),
                    event.getProgress().getRows(), event.getProgress().getBytes(), event.getProgress().getRowsPerSecond(),
                    duration(event.getProgress().getElapsed()), event.getProgress().getTotalBytes());
            case LOG -> printer.log(event.getLog().getLevel().name(), event.getLog().getMessage());
            case SCHEMA_CHANGE -> printer.schemaChange(describe(event.getSchemaChange()));
            case SUMMARY -> summary(event.getSummary(), printer);
            case KIND_NOT_SET -> {
            }
        }
    }

    private static void summary(RunSummary summary, ProgressPrinter printer) {
        printer.summary(
                summary.getTablesList().stream().map(table -> new ProgressPrinter.TableRows(table.getTable(), table.getRows(),
                        table.getDiscardedRows() + table.getDiscardedValues() + table.getRejectedRecords(),
                        table.getFilteredRecords())).toList(),
                summary.getStagesList().stream()
                        .map(stage -> new ProgressPrinter.StageTime(stage.getStage().name(), duration(stage.getElapsed()))).toList(),
                summary.getRows(), summary.getBytes(), duration(summary.getElapsed()));
    }

    /** The API's schema change as the engine's, so that one wording (SchemaChanges) serves both. */
    private static String describe(io.sluice.proto.v1.SchemaChange change) {
        return SchemaChanges.describe(switch (change.getKind()) {
            case NEW_TABLE -> new SchemaChange.NewTable(change.getTable(),
                    change.getRelated().isEmpty() ? Optional.empty() : Optional.of(change.getRelated()));
            case NEW_COLUMN -> new SchemaChange.NewColumn(change.getTable(), change.getColumn(), type(change.getTo()));
            case TYPE_PROMOTED -> new SchemaChange.TypePromoted(change.getTable(), change.getColumn(), type(change.getFrom()),
                    type(change.getTo()));
            case NEW_VARIANT -> new SchemaChange.NewVariant(change.getTable(), change.getRelated(), change.getColumn(),
                    type(change.getTo()));
            case KIND_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalArgumentException("unknown schema change " + change);
        });
    }

    private static DataType type(io.sluice.proto.v1.DataType type) {
        return DataType.valueOf(type.name());
    }

    static Duration duration(com.google.protobuf.Duration duration) {
        return Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
    }
}
