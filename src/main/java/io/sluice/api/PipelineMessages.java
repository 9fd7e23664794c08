package io.sluice.api;

import static io.sluice.api.ProtoValues.timestamp;

import io.sluice.catalog.DiscardedPackage;
import io.sluice.catalog.PipelineRecord;
import io.sluice.catalog.PipelineWrite;
import io.sluice.load.LoadPackages;
import io.sluice.pipeline.Problem;
import io.sluice.pipeline.SpecReader;
import io.sluice.proto.v1.PackageTable;
import io.sluice.proto.v1.PendingPackage;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.SpecProblem;
import java.util.List;

/** The pipeline service's messages from domain records: pipelines, spec problems and a pipeline's load packages. */
final class PipelineMessages {
    private PipelineMessages() {
    }

    static Pipeline pipeline(PipelineRecord record) {
        return SpecReader.parse(record.specJson(), "stored spec").toBuilder()
                .setEtag(record.etag())
                .setCreateTime(timestamp(record.createTime()))
                .setUpdateTime(timestamp(record.updateTime()))
                .build();
    }

    /**
     * The pipeline a create or update stored; when it only checked, the spec it would have stored, with the etag and
     * times of the pipeline stored now, which the check left as they are.
     */
    static Pipeline pipeline(PipelineWrite write) {
        return switch (write) {
            case PipelineWrite.Stored stored -> pipeline(stored.pipeline());
            case PipelineWrite.Validated validated -> validated.current()
                    .map(current -> pipeline(new PipelineRecord(current.name(), validated.spec().json(), current.etag(),
                            current.createTime(), current.updateTime())))
                    .orElseGet(() -> SpecReader.parse(validated.spec().json(), "validated spec"));
        };
    }

    static SpecProblem problem(Problem problem) {
        return SpecProblem.newBuilder()
                .setField(problem.field())
                .setDescription(problem.description())
                .setKind(switch (problem.kind()) {
                    case INVALID -> SpecProblem.Kind.INVALID;
                })
                .build();
    }

    /** A pipeline with its pending and discarded load packages. */
    static Pipeline withPackages(Pipeline pipeline, List<LoadPackages.PendingPackage> pending, List<DiscardedPackage> discarded) {
        return pipeline.toBuilder()
                .addAllPendingPackages(pending.stream().map(PipelineMessages::pendingPackage).toList())
                .addAllDiscardedPackages(discarded.stream().map(PipelineMessages::discardedPackage).toList())
                .build();
    }

    static PendingPackage pendingPackage(LoadPackages.PendingPackage pending) {
        PendingPackage.Builder builder = PendingPackage.newBuilder()
                .setLoadId(pending.loadId())
                .setPath(pending.directory().toString())
                .setSealedByRun(pending.sealedByRun())
                .addAllTables(pending.tables().stream().map(table -> packageTable(table.table(), table.rows())).toList())
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
                .addAllTables(discarded.tables().stream().map(table -> packageTable(table.table(), table.rows())).toList())
                .setDiscardedBy(discarded.discardedBy())
                .setReason(discarded.reason())
                .setDiscardTime(timestamp(discarded.discardTime()))
                .build();
    }

    private static PackageTable packageTable(String table, long rows) {
        return PackageTable.newBuilder().setTable(table).setRows(rows).build();
    }
}
