package io.sluice.api;

import io.sluice.catalog.AuditEvent;
import io.sluice.catalog.AuditFilter;
import io.sluice.proto.v1.ListAuditEventsRequest;
import java.util.Optional;

/** Maps the audit trail between its catalog records and the API's messages. */
final class AuditMessages {
    private AuditMessages() {
    }

    static AuditFilter filter(ListAuditEventsRequest request) {
        return new AuditFilter(present(request.getPipeline()), present(request.getActor()), present(request.getAction()),
                request.hasSince() ? Optional.of(ProtoValues.instant(request.getSince())) : Optional.empty(),
                request.hasBefore() ? Optional.of(ProtoValues.instant(request.getBefore())) : Optional.empty());
    }

    static io.sluice.proto.v1.AuditEvent event(AuditEvent event) {
        return io.sluice.proto.v1.AuditEvent.newBuilder()
                .setId(event.id())
                .setTime(ProtoValues.timestamp(event.time()))
                .setActor(event.actor())
                .setPeer(event.peer())
                .setAction(event.action())
                .setPipeline(event.pipeline())
                .setRunId(event.runId())
                .setApiKeyId(event.apiKeyId())
                .setOutcome(switch (event.outcome()) {
                    case OK -> io.sluice.proto.v1.AuditEvent.Outcome.OK;
                    case DENIED -> io.sluice.proto.v1.AuditEvent.Outcome.DENIED;
                    case FAILED -> io.sluice.proto.v1.AuditEvent.Outcome.FAILED;
                })
                .setStatusCode(event.statusCode())
                .build();
    }

    private static Optional<String> present(String value) {
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
