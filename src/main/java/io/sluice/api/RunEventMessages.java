package io.sluice.api;

import static io.sluice.api.ProtoValues.dataType;
import static io.sluice.api.ProtoValues.duration;
import static io.sluice.api.ProtoValues.timestamp;

import io.sluice.catalog.RunSummary;
import io.sluice.catalog.Stage;
import io.sluice.proto.v1.LogLine;
import io.sluice.proto.v1.ResumedLoad;
import io.sluice.proto.v1.RunSnapshot;
import io.sluice.proto.v1.StageSummary;
import io.sluice.proto.v1.StateChange;
import io.sluice.proto.v1.TableSummary;
import io.sluice.runs.RecordedEvent;
import io.sluice.runs.RunEvent;
import io.sluice.schema.SchemaChange;

/** A run's progress vocabulary, from the domain's {@link RunEvent} to the {@code RunEvent} oneof, summaries included. */
final class RunEventMessages {
    private RunEventMessages() {
    }

    static io.sluice.proto.v1.RunEvent event(RecordedEvent recorded) {
        io.sluice.proto.v1.RunEvent.Builder builder = io.sluice.proto.v1.RunEvent.newBuilder()
                .setRunId(recorded.runId())
                .setSequence(recorded.sequence())
                .setTime(timestamp(recorded.time()));
        switch (recorded.event()) {
            case RunEvent.Snapshot snapshot -> builder.setSnapshot(RunSnapshot.newBuilder()
                    .setRun(RunMessages.run(snapshot.run()))
                    .addAllTables(snapshot.tables().stream().map(RunEventMessages::progress).toList()));
            case RunEvent.StateChanged change -> builder.setStateChange(StateChange.newBuilder()
                    .setFrom(RunMessages.state(change.from()))
                    .setTo(RunMessages.state(change.to()))
                    .setReason(change.reason()));
            case RunEvent.TableProgress progress -> builder.setProgress(progress(progress));
            case RunEvent.LogLine line -> builder.setLog(LogLine.newBuilder()
                    .setLevel(level(line.level()))
                    .setMessage(line.message())
                    .setLogger(line.logger()));
            case RunEvent.Summary summary -> builder.setSummary(summary(summary.summary()));
            case RunEvent.SchemaChanged changed -> builder.setSchemaChange(schemaChange(changed.change()));
        }
        return builder.build();
    }

    static io.sluice.proto.v1.RunSummary summary(RunSummary summary) {
        return io.sluice.proto.v1.RunSummary.newBuilder()
                .addAllTables(summary.tables().stream().map(RunEventMessages::tableSummary).toList())
                .addAllResumedLoads(summary.resumedLoads().stream()
                        .map(resumed -> ResumedLoad.newBuilder()
                                .setLoadId(resumed.loadId())
                                .setSealedByRun(resumed.sealedByRun())
                                .setRows(resumed.rows())
                                .addAllTables(resumed.tables().stream().map(RunEventMessages::tableSummary).toList())
                                .build())
                        .toList())
                .addAllStages(summary.stages().stream()
                        .map(stage -> StageSummary.newBuilder().setStage(stage(stage.stage())).setElapsed(duration(stage.elapsed())).build())
                        .toList())
                .setRows(summary.rows())
                .setBytes(summary.bytes())
                .setElapsed(duration(summary.elapsed()))
                .setLoadId(summary.loadId())
                .setPeakHeapBytes(summary.peakHeapBytes())
                .build();
    }

    private static io.sluice.proto.v1.TableProgress progress(RunEvent.TableProgress progress) {
        return io.sluice.proto.v1.TableProgress.newBuilder()
                .setResource(progress.resource())
                .setTable(progress.table())
                .setStage(stage(progress.stage()))
                .setRows(progress.rows())
                .setBytes(progress.bytes())
                .setRowsPerSecond(progress.rowsPerSecond())
                .setElapsed(duration(progress.elapsed()))
                .setTotalBytes(progress.totalBytes())
                .build();
    }

    private static TableSummary tableSummary(RunSummary.TableRows table) {
        return TableSummary.newBuilder()
                .setTable(table.table())
                .setRows(table.rows())
                .setDiscardedRows(table.discardedRows())
                .setDiscardedValues(table.discardedValues())
                .setRejectedRecords(table.rejectedRecords())
                .setFilteredRecords(table.filteredRecords())
                .build();
    }

    private static io.sluice.proto.v1.SchemaChange schemaChange(SchemaChange change) {
        io.sluice.proto.v1.SchemaChange.Builder builder = io.sluice.proto.v1.SchemaChange.newBuilder().setTable(change.table());
        return switch (change) {
            case SchemaChange.NewTable table -> builder.setKind(io.sluice.proto.v1.SchemaChange.Kind.NEW_TABLE)
                    .setRelated(table.parent().orElse("")).build();
            case SchemaChange.NewColumn column -> builder.setKind(io.sluice.proto.v1.SchemaChange.Kind.NEW_COLUMN)
                    .setColumn(column.column()).setTo(dataType(column.type())).build();
            case SchemaChange.TypePromoted promoted -> builder.setKind(io.sluice.proto.v1.SchemaChange.Kind.TYPE_PROMOTED)
                    .setColumn(promoted.column()).setFrom(dataType(promoted.from())).setTo(dataType(promoted.to())).build();
            case SchemaChange.NewVariant variant -> builder.setKind(io.sluice.proto.v1.SchemaChange.Kind.NEW_VARIANT)
                    .setColumn(variant.variant()).setRelated(variant.column()).setTo(dataType(variant.type())).build();
        };
    }

    private static io.sluice.proto.v1.Stage stage(Stage stage) {
        return switch (stage) {
            case EXTRACT -> io.sluice.proto.v1.Stage.EXTRACT;
            case NORMALIZE -> io.sluice.proto.v1.Stage.NORMALIZE;
            case LOAD -> io.sluice.proto.v1.Stage.LOAD;
        };
    }

    private static LogLine.Level level(RunEvent.LogLine.Level level) {
        return switch (level) {
            case DEBUG -> LogLine.Level.DEBUG;
            case INFO -> LogLine.Level.INFO;
            case WARN -> LogLine.Level.WARN;
            case ERROR -> LogLine.Level.ERROR;
        };
    }
}
