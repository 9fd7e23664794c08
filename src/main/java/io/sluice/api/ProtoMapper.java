package io.sluice.api;

import com.google.protobuf.Timestamp;
import io.sluice.proto.v1.DataType;
import io.sluice.proto.v1.LogLine;
import io.sluice.proto.v1.PackageTable;
import io.sluice.proto.v1.PendingPackage;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.ResumedLoad;
import io.sluice.proto.v1.RunSnapshot;
import io.sluice.proto.v1.SpecProblem;
import io.sluice.proto.v1.StageSummary;
import io.sluice.proto.v1.StateChange;
import io.sluice.proto.v1.TableSummary;
import io.sluice.catalog.DiscardedPackage;
import io.sluice.catalog.PipelineRecord;
import io.sluice.catalog.Refresh;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.RunSummary;
import io.sluice.catalog.Stage;
import io.sluice.catalog.Trigger;
import io.sluice.load.LoadPackages;
import io.sluice.pipeline.Problem;
import io.sluice.pipeline.SpecReader;
import io.sluice.schema.SchemaChange;
import io.sluice.runs.RecordedEvent;
import io.sluice.runs.RunEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Domain records to proto messages and back; nothing else in the service touches proto run types. */
final class ProtoMapper {
    private ProtoMapper() {
    }

    static Pipeline pipeline(PipelineRecord record) {
        return SpecReader.parse(record.specJson(), "stored spec").toBuilder()
                .setEtag(record.etag())
                .setCreateTime(timestamp(record.createTime()))
                .setUpdateTime(timestamp(record.updateTime()))
                .build();
    }

    static io.sluice.proto.v1.Run run(Run run) {
        io.sluice.proto.v1.Run.Builder builder = io.sluice.proto.v1.Run.newBuilder()
                .setId(run.id())
                .setPipeline(run.pipeline())
                .setState(state(run.state()))
                .setTrigger(trigger(run.trigger()))
                .setRequestId(run.requestId())
                .setCreateTime(timestamp(run.createTime()))
                .setError(run.error())
                .setAttempt(run.attempt())
                .setPendingReason(run.pendingReason())
                .setResumedBy(run.resumedBy());
        run.startTime().ifPresent(time -> builder.setStartTime(timestamp(time)));
        run.endTime().ifPresent(time -> builder.setEndTime(timestamp(time)));
        run.summary().ifPresent(summary -> builder.setSummary(summary(summary)));
        run.refresh().ifPresent(refresh -> builder.setRefresh(refreshMode(refresh.mode()))
                .addAllRefreshResources(refresh.resources()));
        return builder.build();
    }

    static io.sluice.proto.v1.RunEvent event(RecordedEvent recorded) {
        io.sluice.proto.v1.RunEvent.Builder builder = io.sluice.proto.v1.RunEvent.newBuilder()
                .setRunId(recorded.runId())
                .setSequence(recorded.sequence())
                .setTime(timestamp(recorded.time()));
        switch (recorded.event()) {
            case RunEvent.Snapshot snapshot -> builder.setSnapshot(RunSnapshot.newBuilder()
                    .setRun(run(snapshot.run()))
                    .addAllTables(snapshot.tables().stream().map(ProtoMapper::progress).toList()));
            case RunEvent.StateChanged change -> builder.setStateChange(StateChange.newBuilder()
                    .setFrom(state(change.from()))
                    .setTo(state(change.to()))
                    .setReason(change.reason()));
            case RunEvent.TableProgress progress -> builder.setProgress(progress(progress));
            case RunEvent.LogLine line -> builder.setLog(LogLine.newBuilder()
                    .setLevel(level(line.level()))
                    .setMessage(line.message()));
            case RunEvent.Summary summary -> builder.setSummary(summary(summary.summary()));
            case RunEvent.SchemaChanged changed -> builder.setSchemaChange(schemaChange(changed.change()));
        }
        return builder.build();
    }

    /** The refresh of a trigger request; resources without a refresh mode are refused. */
    static Optional<Refresh> refresh(io.sluice.proto.v1.Refresh mode, List<String> resources) {
        return switch (mode) {
            case REFRESH_UNSPECIFIED -> {
                if (!resources.isEmpty()) {
                    throw StatusMapper.invalidArgument("resources", "name resources only with a refresh, e.g. DROP_DATA");
                }
                yield Optional.empty();
            }
            case DROP_SOURCES -> Optional.of(new Refresh(Refresh.Mode.DROP_SOURCES, resources));
            case DROP_RESOURCES -> Optional.of(new Refresh(Refresh.Mode.DROP_RESOURCES, resources));
            case DROP_DATA -> Optional.of(new Refresh(Refresh.Mode.DROP_DATA, resources));
            case UNRECOGNIZED -> throw StatusMapper.invalidArgument("refresh", "unknown refresh mode");
        };
    }

    static io.sluice.proto.v1.RunState state(RunState state) {
        return switch (state) {
            case SCHEDULED -> io.sluice.proto.v1.RunState.SCHEDULED;
            case PENDING -> io.sluice.proto.v1.RunState.PENDING;
            case RUNNING -> io.sluice.proto.v1.RunState.RUNNING;
            case RETRYING -> io.sluice.proto.v1.RunState.RETRYING;
            case COMPLETED -> io.sluice.proto.v1.RunState.COMPLETED;
            case FAILED -> io.sluice.proto.v1.RunState.FAILED;
            case CANCELLING -> io.sluice.proto.v1.RunState.CANCELLING;
            case CANCELLED -> io.sluice.proto.v1.RunState.CANCELLED;
            case CRASHED -> io.sluice.proto.v1.RunState.CRASHED;
        };
    }

    static RunState state(io.sluice.proto.v1.RunState state) {
        return switch (state) {
            case SCHEDULED -> RunState.SCHEDULED;
            case PENDING -> RunState.PENDING;
            case RUNNING -> RunState.RUNNING;
            case RETRYING -> RunState.RETRYING;
            case COMPLETED -> RunState.COMPLETED;
            case FAILED -> RunState.FAILED;
            case CANCELLING -> RunState.CANCELLING;
            case CANCELLED -> RunState.CANCELLED;
            case CRASHED -> RunState.CRASHED;
            case RUN_STATE_UNSPECIFIED, UNRECOGNIZED ->
                    throw StatusMapper.invalidArgument("states", "name run states, e.g. FAILED; " + state + " is none");
        };
    }

    static SpecProblem problem(Problem problem) {
        return SpecProblem.newBuilder()
                .setField(problem.field())
                .setDescription(problem.description())
                .setKind(switch (problem.kind()) {
                    case INVALID -> SpecProblem.Kind.INVALID;
                    case UNSUPPORTED -> SpecProblem.Kind.UNSUPPORTED;
                })
                .build();
    }

    static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
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

    private static io.sluice.proto.v1.RunSummary summary(RunSummary summary) {
        return io.sluice.proto.v1.RunSummary.newBuilder()
                .addAllTables(summary.tables().stream().map(ProtoMapper::tableSummary).toList())
                .addAllResumedLoads(summary.resumedLoads().stream()
                        .map(resumed -> ResumedLoad.newBuilder()
                                .setLoadId(resumed.loadId())
                                .setSealedByRun(resumed.sealedByRun())
                                .setRows(resumed.rows())
                                .addAllTables(resumed.tables().stream().map(ProtoMapper::tableSummary).toList())
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

    static PendingPackage pendingPackage(LoadPackages.PendingPackage pending) {
        PendingPackage.Builder builder = PendingPackage.newBuilder()
                .setLoadId(pending.loadId())
                .setPath(pending.directory().toString())
                .setSealedByRun(pending.sealedByRun())
                .addAllTables(pending.tables().stream()
                        .map(table -> PackageTable.newBuilder().setTable(table.table()).setRows(table.rows()).build())
                        .toList())
                .setRows(pending.rows())
                .setNewJobs(pending.jobs(LoadPackages.JobState.NEW))
                .setStartedJobs(pending.jobs(LoadPackages.JobState.STARTED))
                .setCompletedJobs(pending.jobs(LoadPackages.JobState.COMPLETED))
                .setFailedJobs(pending.jobs(LoadPackages.JobState.FAILED))
                .setLastFailure(pending.lastFailure().orElse(""))
                .setOwnedByLiveRun(pending.ownedByLiveRun());
        pending.sealTime().ifPresent(time -> builder.setSealTime(timestamp(time)));
        return builder.build();
    }

    static io.sluice.proto.v1.DiscardedPackage discardedPackage(DiscardedPackage discarded) {
        return io.sluice.proto.v1.DiscardedPackage.newBuilder()
                .setLoadId(discarded.loadId())
                .setSealedByRun(discarded.sealedByRun())
                .setRows(discarded.rows())
                .addAllTables(discarded.tables().stream()
                        .map(table -> PackageTable.newBuilder().setTable(table.table()).setRows(table.rows()).build())
                        .toList())
                .setDiscardedBy(discarded.discardedBy())
                .setReason(discarded.reason())
                .setDiscardTime(timestamp(discarded.discardTime()))
                .build();
    }

    static io.sluice.proto.v1.SchemaChange schemaChange(SchemaChange change) {
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

    static DataType dataType(io.sluice.schema.DataType type) {
        return switch (type) {
            case BOOL -> DataType.BOOL;
            case BIGINT -> DataType.BIGINT;
            case DOUBLE -> DataType.DOUBLE;
            case DECIMAL -> DataType.DECIMAL;
            case TEXT -> DataType.TEXT;
            case TIMESTAMP -> DataType.TIMESTAMP;
            case DATE -> DataType.DATE;
            case TIME -> DataType.TIME;
            case JSON -> DataType.JSON;
            case BINARY -> DataType.BINARY;
        };
    }

    private static io.sluice.proto.v1.Stage stage(Stage stage) {
        return switch (stage) {
            case EXTRACT -> io.sluice.proto.v1.Stage.EXTRACT;
            case NORMALIZE -> io.sluice.proto.v1.Stage.NORMALIZE;
            case LOAD -> io.sluice.proto.v1.Stage.LOAD;
        };
    }

    private static io.sluice.proto.v1.Run.Trigger trigger(Trigger trigger) {
        return switch (trigger) {
            case API -> io.sluice.proto.v1.Run.Trigger.API;
            case SCHEDULE -> io.sluice.proto.v1.Run.Trigger.SCHEDULE;
            case CLI -> io.sluice.proto.v1.Run.Trigger.CLI;
            case RETRY -> io.sluice.proto.v1.Run.Trigger.RETRY;
        };
    }

    private static io.sluice.proto.v1.Refresh refreshMode(Refresh.Mode mode) {
        return switch (mode) {
            case DROP_SOURCES -> io.sluice.proto.v1.Refresh.DROP_SOURCES;
            case DROP_RESOURCES -> io.sluice.proto.v1.Refresh.DROP_RESOURCES;
            case DROP_DATA -> io.sluice.proto.v1.Refresh.DROP_DATA;
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

    private static Timestamp timestamp(Instant time) {
        return Timestamp.newBuilder().setSeconds(time.getEpochSecond()).setNanos(time.getNano()).build();
    }

    private static com.google.protobuf.Duration duration(Duration duration) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(duration.getSeconds()).setNanos(duration.getNano()).build();
    }
}
