package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One entry of the audit trail: who (the credential's name, {@code anonymous} with auth off) did what (the RPC's
 * name, e.g. {@code TriggerRun}) to which pipeline, run or API key, from which address, and how it ended. Only names
 * and ids are kept, never a request's body, so no secret can reach the trail.
 *
 * @param id unique and increasing with {@code time}, so that paging is stable
 * @param pipeline empty when the action names no pipeline (API keys)
 * @param runId empty when the action names no run
 * @param apiKeyId empty when the action names no API key
 * @param statusCode the gRPC status code the call ended with, {@code OK} when it succeeded
 */
public record AuditEvent(String id, Instant time, String actor, String peer, String action, String pipeline, String runId,
                         String apiKeyId, AuditOutcome outcome, String statusCode) {
    public AuditEvent {
        requireNonNull(id, "id is null");
        requireNonNull(time, "time is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(peer, "peer is null");
        requireNonNull(action, "action is null");
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(apiKeyId, "apiKeyId is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(statusCode, "statusCode is null");
    }
}
