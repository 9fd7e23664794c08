package io.sluice.api;

import com.google.protobuf.Empty;
import com.google.protobuf.FieldMask;
import com.google.protobuf.util.FieldMaskUtil;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
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
import io.sluice.catalog.AlreadyExistsException;
import io.sluice.catalog.NotFoundException;
import io.sluice.catalog.Page;
import io.sluice.catalog.PipelineRecord;
import io.sluice.catalog.PipelineRegistry;
import io.sluice.pipeline.LabelSelector;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.runs.PendingPackages;

@GrpcService
class PipelineGrpcService extends PipelineServiceGrpc.PipelineServiceImplBase {
    private static final FieldMaskUtil.MergeOptions REPLACE = new FieldMaskUtil.MergeOptions()
            .setReplaceMessageFields(true)
            .setReplaceRepeatedFields(true)
            .setReplacePrimitiveFields(true);

    private final PipelineRegistry registry;
    private final PendingPackages packages;

    PipelineGrpcService(PipelineRegistry registry, PendingPackages packages) {
        this.registry = registry;
        this.packages = packages;
    }

    @Override
    public void createPipeline(CreatePipelineRequest request, StreamObserver<Pipeline> response) {
        Responses.respond(response, () -> {
            PipelineSpec spec = PipelineSpecs.toSpec(request.getPipeline(), "");
            if (request.getValidateOnly()) {
                if (exists(spec.name())) {
                    throw new AlreadyExistsException("pipeline '" + spec.name() + "' already exists");
                }
                return PipelineSpecs.withoutOutputFields(request.getPipeline());
            }
            return ProtoMapper.pipeline(registry.create(spec));
        });
    }

    @Override
    public void getPipeline(GetPipelineRequest request, StreamObserver<Pipeline> response) {
        Responses.respond(response, () -> {
            String name = Responses.required(request.getName(), "name");
            return ProtoMapper.pipeline(registry.get(name)).toBuilder()
                    .addAllPendingPackages(packages.pending(name).stream().map(ProtoMapper::pendingPackage).toList())
                    .addAllDiscardedPackages(packages.discarded(name).stream().map(ProtoMapper::discardedPackage).toList())
                    .build();
        });
    }

    @Override
    public void listPendingPackages(ListPendingPackagesRequest request, StreamObserver<ListPendingPackagesResponse> response) {
        Responses.respond(response, () -> {
            String pipeline = Responses.required(request.getPipeline(), "pipeline");
            return ListPendingPackagesResponse.newBuilder()
                    .addAllPendingPackages(packages.pending(pipeline).stream().map(ProtoMapper::pendingPackage).toList())
                    .addAllDiscardedPackages(packages.discarded(pipeline).stream().map(ProtoMapper::discardedPackage).toList())
                    .build();
        });
    }

    @Override
    public void retryPendingPackage(RetryPendingPackageRequest request, StreamObserver<Run> response) {
        Responses.respond(response, () -> ProtoMapper.run(packages.retry(Responses.required(request.getPipeline(), "pipeline"),
                Responses.required(request.getLoadId(), "load_id"), request.getRequestId())));
    }

    @Override
    public void discardPendingPackage(DiscardPendingPackageRequest request, StreamObserver<DiscardedPackage> response) {
        Responses.respond(response, () -> ProtoMapper.discardedPackage(packages.discard(
                Responses.required(request.getPipeline(), "pipeline"), Responses.required(request.getLoadId(), "load_id"),
                Responses.required(request.getDiscardedBy(), "discarded_by"), request.getReason())));
    }

    @Override
    public void listPipelines(ListPipelinesRequest request, StreamObserver<ListPipelinesResponse> response) {
        Responses.respond(response, () -> {
            LabelSelector selector = labelSelector(request.getLabelSelector());
            Page<PipelineRecord> page = registry.list(Responses.pageSize(request.getPageSize()), request.getPageToken());
            return ListPipelinesResponse.newBuilder()
                    .addAllPipelines(page.items().stream().map(ProtoMapper::pipeline)
                            .filter(pipeline -> selector.matches(pipeline.getLabelsMap())).toList())
                    .setNextPageToken(page.nextPageToken())
                    .build();
        });
    }

    @Override
    public void updatePipeline(UpdatePipelineRequest request, StreamObserver<Pipeline> response) {
        Responses.respond(response, () -> {
            Pipeline requested = request.getPipeline();
            String name = Responses.required(requested.getName(), "pipeline.name");
            FieldMask mask = request.getUpdateMask();
            if (!FieldMaskUtil.isValid(Pipeline.class, mask)) {
                throw StatusMapper.invalidArgument("update_mask", "names a field Pipeline does not have: " + mask.getPathsList());
            }
            if (mask.getPathsList().contains("name")) {
                throw StatusMapper.invalidArgument("update_mask", "a pipeline cannot be renamed; create one under the new name");
            }
            if (!exists(name)) {
                if (!request.getAllowMissing()) {
                    throw new NotFoundException("pipeline '" + name + "' does not exist");
                }
                PipelineSpec spec = PipelineSpecs.toSpec(requested, "");
                return request.getValidateOnly() ? PipelineSpecs.withoutOutputFields(requested) : ProtoMapper.pipeline(registry.create(spec));
            }
            Pipeline stored = ProtoMapper.pipeline(registry.get(name));
            Pipeline merged;
            if (mask.getPathsCount() == 0) {
                merged = requested;
            } else {
                Pipeline.Builder builder = stored.toBuilder();
                FieldMaskUtil.merge(mask, requested, builder, REPLACE);
                merged = builder.build();
            }
            PipelineSpec spec = PipelineSpecs.toSpec(merged, "");
            if (request.getValidateOnly()) {
                return merged.toBuilder().setEtag(stored.getEtag()).build();
            }
            return ProtoMapper.pipeline(registry.replace(spec, requested.getEtag()));
        });
    }

    @Override
    public void deletePipeline(DeletePipelineRequest request, StreamObserver<Empty> response) {
        Responses.respond(response, () -> {
            registry.delete(Responses.required(request.getName(), "name"), request.getEtag());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void validatePipeline(ValidatePipelineRequest request, StreamObserver<ValidatePipelineResponse> response) {
        Responses.respond(response, () -> ValidatePipelineResponse.newBuilder()
                .addAllProblems(PipelineSpecs.problems(request.getPipeline()).stream().map(ProtoMapper::problem).toList())
                .build());
    }

    private static LabelSelector labelSelector(String text) {
        try {
            return LabelSelector.parse(text);
        } catch (IllegalArgumentException e) {
            throw StatusMapper.invalidArgument("label_selector", e.getMessage());
        }
    }

    private boolean exists(String name) {
        return registry.find(name).isPresent();
    }
}
