package io.sluice.api;

import com.google.protobuf.Empty;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.sluice.catalog.Page;
import io.sluice.catalog.PipelineRecord;
import io.sluice.catalog.PipelineRegistry;
import io.sluice.catalog.PipelineUpdate;
import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.proto.v1.CreatePipelineRequest;
import io.sluice.proto.v1.DeletePipelineRequest;
import io.sluice.proto.v1.DiscardPendingPackageRequest;
import io.sluice.proto.v1.DiscardedPackage;
import io.sluice.proto.v1.GetPipelineRequest;
import io.sluice.proto.v1.ListPendingPackagesRequest;
import io.sluice.proto.v1.ListPendingPackagesResponse;
import io.sluice.proto.v1.ListPipelinesRequest;
import io.sluice.proto.v1.ListPipelinesResponse;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.RetryPendingPackageRequest;
import io.sluice.proto.v1.Run;
import io.sluice.proto.v1.UpdatePipelineRequest;
import io.sluice.proto.v1.ValidatePipelineRequest;
import io.sluice.proto.v1.ValidatePipelineResponse;
import io.sluice.pipeline.LabelSelector;
import io.sluice.pipeline.Problem;
import io.sluice.runs.ConcurrencyLimits;
import io.sluice.runs.PendingPackages;
import io.sluice.runs.Scheduler;
import java.util.List;

/** The pipeline service: register, read, change and remove pipelines, and handle their pending load packages. */
@GrpcService
class PipelineGrpcService extends PipelineServiceGrpc.PipelineServiceImplBase {
    /** How many of a pipeline's next run times GetPipeline shows. */
    private static final int NEXT_RUN_TIMES = 5;

    private final PipelineRegistry registry;
    private final PendingPackages packages;
    private final ConcurrencyLimits limits;
    private final Scheduler scheduler;
    private final PipelineScopes scopes;

    PipelineGrpcService(PipelineRegistry registry, PendingPackages packages, ConcurrencyLimits limits,
                        Scheduler scheduler, PipelineScopes scopes) {
        this.registry = registry;
        this.packages = packages;
        this.limits = limits;
        this.scheduler = scheduler;
        this.scopes = scopes;
    }

    @Override
    public void createPipeline(CreatePipelineRequest request, StreamObserver<Pipeline> response) {
        Responses.respond(response, () -> PipelineMessages.pipeline(
                registry.create(scopes.checkedSpec(limits.checked(PipelineSpecs.toSpec(request.getPipeline(), ""))),
                        request.getValidateOnly())));
    }

    @Override
    public void getPipeline(GetPipelineRequest request, StreamObserver<Pipeline> response) {
        Responses.respond(response, () -> {
            PendingPackages.PipelinePackages pipeline = packages.of(
                    scopes.checkPipeline(Responses.required(request.getName(), "name")));
            return PipelineMessages.withPackages(PipelineMessages.pipeline(pipeline.pipeline()), pipeline.pending(),
                    pipeline.discarded()).toBuilder().addAllNextRunTimes(nextRunTimes(pipeline.pipeline())).build();
        });
    }

    /** None for a stored spec that no longer validates: it is shown all the same, and its schedules do not fire. */
    private List<Timestamp> nextRunTimes(PipelineRecord record) {
        try {
            return scheduler.upcoming(registry.spec(record), NEXT_RUN_TIMES).stream().map(ProtoValues::timestamp).toList();
        } catch (InvalidSpecException e) {
            return List.of();
        }
    }

    @Override
    public void listPendingPackages(ListPendingPackagesRequest request, StreamObserver<ListPendingPackagesResponse> response) {
        Responses.respond(response, () -> {
            PendingPackages.PipelinePackages pipeline = packages.of(
                    scopes.checkPipeline(Responses.required(request.getPipeline(), "pipeline")));
            return ListPendingPackagesResponse.newBuilder()
                    .addAllPendingPackages(pipeline.pending().stream().map(PipelineMessages::pendingPackage).toList())
                    .addAllDiscardedPackages(pipeline.discarded().stream().map(PipelineMessages::discardedPackage).toList())
                    .build();
        });
    }

    @Override
    public void retryPendingPackage(RetryPendingPackageRequest request, StreamObserver<Run> response) {
        Responses.respond(response, () -> RunMessages.run(packages.retry(
                scopes.checkPipeline(Responses.required(request.getPipeline(), "pipeline")),
                Responses.required(request.getLoadId(), "load_id"), request.getRequestId())));
    }

    @Override
    public void discardPendingPackage(DiscardPendingPackageRequest request, StreamObserver<DiscardedPackage> response) {
        Responses.respond(response, () -> PipelineMessages.discardedPackage(packages.discard(
                scopes.checkPipeline(Responses.required(request.getPipeline(), "pipeline")),
                Responses.required(request.getLoadId(), "load_id"),
                Responses.required(request.getDiscardedBy(), "discarded_by"), request.getReason())));
    }

    @Override
    public void listPipelines(ListPipelinesRequest request, StreamObserver<ListPipelinesResponse> response) {
        Responses.respond(response, () -> {
            LabelSelector selector = labelSelector(request.getLabelSelector());
            Page<PipelineRecord> page = registry.list(Responses.pageSize(request.getPageSize()), request.getPageToken(),
                    selector);
            return ListPipelinesResponse.newBuilder()
                    .addAllPipelines(page.items().stream().filter(scopes::covers).map(PipelineMessages::pipeline).toList())
                    .setNextPageToken(page.nextPageToken())
                    .build();
        });
    }

    /** The registry applies the mask to what is stored when it writes, so a concurrent update is never lost or refused. */
    @Override
    public void updatePipeline(UpdatePipelineRequest request, StreamObserver<Pipeline> response) {
        Responses.respond(response, () -> {
            Pipeline requested = request.getPipeline();
            PipelineUpdate update = new PipelineUpdate(Responses.required(requested.getName(), "pipeline.name"), requested.getEtag(),
                    request.getAllowMissing(), request.getValidateOnly());
            FieldMask mask = UpdateMasks.checked(request.getUpdateMask());
            return PipelineMessages.pipeline(registry.update(update, stored -> {
                stored.ifPresent(scopes::checkStored);
                return scopes.checkedSpec(limits.checked(PipelineSpecs.toSpec(
                        UpdateMasks.merged(stored.map(PipelineMessages::pipeline), requested, mask), "")));
            }));
        });
    }

    @Override
    public void deletePipeline(DeletePipelineRequest request, StreamObserver<Empty> response) {
        Responses.respond(response, () -> {
            registry.delete(scopes.checkPipeline(Responses.required(request.getName(), "name")), request.getEtag());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void validatePipeline(ValidatePipelineRequest request, StreamObserver<ValidatePipelineResponse> response) {
        Responses.respond(response, () -> {
            List<Problem> problems = PipelineSpecs.problems(request.getPipeline());
            // Only a spec valid in itself can name limits; which are configured is the service's, not the spec's, say.
            List<Problem> all = problems.isEmpty() ? limits.problems(PipelineSpecs.toSpec(request.getPipeline(), "")) : problems;
            return ValidatePipelineResponse.newBuilder().addAllProblems(all.stream().map(PipelineMessages::problem).toList()).build();
        });
    }


    private static LabelSelector labelSelector(String text) {
        try {
            return LabelSelector.parse(text);
        } catch (IllegalArgumentException e) {
            throw StatusMapper.invalidArgument("label_selector", e.getMessage());
        }
    }
}
