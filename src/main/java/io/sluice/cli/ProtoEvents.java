package io.sluice.cli;

import io.sluice.api.v1.RunEvent;
import io.sluice.api.v1.RunSummary;
import java.time.Duration;

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
                        table.getDiscardedRows() + table.getDiscardedValues() + table.getRejectedRecords())).toList(),
                summary.getStagesList().stream()
                        .map(stage -> new ProgressPrinter.StageTime(stage.getStage().name(), duration(stage.getElapsed()))).toList(),
                summary.getRows(), summary.getBytes(), duration(summary.getElapsed()));
    }

    private static String describe(io.sluice.api.v1.SchemaChange change) {
        return switch (change.getKind()) {
            case NEW_TABLE -> "new table " + change.getTable() + (change.getRelated().isEmpty() ? "" : " (nested in " + change.getRelated() + ")");
            case NEW_COLUMN -> "new column " + change.getTable() + "." + change.getColumn() + " " + change.getTo();
            case TYPE_PROMOTED -> "column " + change.getTable() + "." + change.getColumn() + " " + change.getFrom() + " -> " + change.getTo();
            case NEW_VARIANT -> "variant column " + change.getTable() + "." + change.getColumn() + " " + change.getTo()
                    + " for values that do not fit " + change.getRelated();
            case KIND_UNSPECIFIED, UNRECOGNIZED -> change.toString();
        };
    }

    static Duration duration(com.google.protobuf.Duration duration) {
        return Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
    }
}
