package io.sluice.api;

import io.grpc.MethodDescriptor;
import io.sluice.proto.v1.AuthServiceGrpc;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.RunServiceGrpc;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The one table of the RPCs the audit trail records (those that create, change, delete, trigger, cancel or retry
 * something, or manage API keys), each with what it acts on: names and ids read from its request and, once it
 * succeeded, its answer — never a whole message, which could carry a secret.
 */
final class AuditedMethods {
    private static final Map<String, Audited> METHODS = Map.ofEntries(
            entry(PipelineServiceGrpc.getCreatePipelineMethod(), (request, created) ->
                    unlessValidateOnly(request.getValidateOnly(), request.getPipeline().getName())),
            entry(PipelineServiceGrpc.getUpdatePipelineMethod(), (request, updated) ->
                    unlessValidateOnly(request.getValidateOnly(), request.getPipeline().getName())),
            entry(PipelineServiceGrpc.getDeletePipelineMethod(), (request, deleted) ->
                    Optional.of(Target.pipeline(request.getName()))),
            entry(PipelineServiceGrpc.getRetryPendingPackageMethod(), (request, run) ->
                    Optional.of(new Target(request.getPipeline(), run == null ? "" : run.getId(), ""))),
            entry(PipelineServiceGrpc.getDiscardPendingPackageMethod(), (request, discarded) ->
                    Optional.of(Target.pipeline(request.getPipeline()))),
            entry(RunServiceGrpc.getTriggerRunMethod(), (request, run) ->
                    Optional.of(new Target(request.getPipeline(), run == null ? "" : run.getId(), ""))),
            entry(RunServiceGrpc.getCancelRunMethod(), (request, run) ->
                    Optional.of(new Target(run == null ? "" : run.getPipeline(), request.getRunId(), ""))),
            entry(RunServiceGrpc.getRetryRunMethod(), (request, run) ->
                    Optional.of(new Target(run == null ? "" : run.getPipeline(), request.getRunId(), ""))),
            entry(AuthServiceGrpc.getCreateApiKeyMethod(), (request, created) ->
                    Optional.of(new Target("", "", created == null ? "" : created.getApiKey().getId()))),
            entry(AuthServiceGrpc.getRevokeApiKeyMethod(), (request, revoked) ->
                    Optional.of(new Target("", "", request.getId()))));

    private AuditedMethods() {
    }

    /** How the trail records the method, if it records it at all. */
    static Optional<Audited> of(String fullMethodName) {
        return Optional.ofNullable(METHODS.get(fullMethodName));
    }

    /**
     * An audited method: its action's name (the RPC's) and what a call acts on, from the request and the answer (null
     * when the call failed, or when the request never arrived because the caller was refused first).
     */
    record Audited(String action, BiFunction<Object, Object, Optional<Target>> target) {
        /** What the call acts on; empty when it changes nothing (validate only). */
        Optional<Target> targetOf(Object request, Object answer) {
            return request == null ? Optional.of(Target.UNKNOWN) : target.apply(request, answer);
        }
    }

    /** What an audited call acts on; an empty part is one the call does not name. */
    record Target(String pipeline, String runId, String apiKeyId) {
        static final Target UNKNOWN = new Target("", "", "");

        static Target pipeline(String name) {
            return new Target(name, "", "");
        }
    }

    /** A create or update that only validates changes nothing: not an action the trail records. */
    private static Optional<Target> unlessValidateOnly(boolean validateOnly, String pipeline) {
        return validateOnly ? Optional.empty() : Optional.of(Target.pipeline(pipeline));
    }

    @SuppressWarnings("unchecked")
    private static <Q, A> Map.Entry<String, Audited> entry(MethodDescriptor<Q, A> method,
                                                           BiFunction<Q, A, Optional<Target>> target) {
        BiFunction<Object, Object, Optional<Target>> untyped = (request, answer) -> target.apply((Q) request, (A) answer);
        return Map.entry(method.getFullMethodName(), new Audited(method.getBareMethodName(), untyped));
    }
}
