package io.sluice.api;

import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.sluice.proto.v1.DatasetSchema;
import io.sluice.proto.v1.DatasetServiceGrpc;
import io.sluice.proto.v1.GetSchemaRequest;
import io.sluice.proto.v1.PreviewTableRequest;
import io.sluice.proto.v1.PreviewTableResponse;
import io.sluice.runs.Datasets;

/** The dataset service: what a pipeline's destination holds, its schema and the first rows of a table. */
@GrpcService
class DatasetGrpcService extends DatasetServiceGrpc.DatasetServiceImplBase {
    private final Datasets datasets;
    private final PipelineScopes scopes;

    DatasetGrpcService(Datasets datasets, PipelineScopes scopes) {
        this.datasets = datasets;
        this.scopes = scopes;
    }

    @Override
    public void getSchema(GetSchemaRequest request, StreamObserver<DatasetSchema> response) {
        Responses.respond(response, () -> DatasetMessages.schema(datasets.schema(
                scopes.checkPipeline(Responses.required(request.getPipeline(), "pipeline")))));
    }

    @Override
    public void previewTable(PreviewTableRequest request, StreamObserver<PreviewTableResponse> response) {
        Responses.respond(response, () -> {
            int limit = DatasetMessages.previewLimit(request.getLimit());
            String pipeline = scopes.checkPipeline(Responses.required(request.getPipeline(), "pipeline"));
            return DatasetMessages.preview(datasets.preview(pipeline,
                    Responses.required(request.getTable(), "table"), limit));
        });
    }
}
