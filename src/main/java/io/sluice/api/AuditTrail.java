package io.sluice.api;

import io.grpc.Status;
import io.sluice.catalog.AuditEvent;
import io.sluice.catalog.AuditOutcome;
import io.sluice.catalog.AuditStore;
import io.sluice.catalog.CatalogException;
import io.sluice.security.AuditConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Writes the audit trail's events to the catalog, and forgets those older than the configured retention as it goes. A
 * trail that cannot be written is logged, never the cause of a call failing.
 */
@ApplicationScoped
class AuditTrail {
    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    /** How often old events are removed: pruning on every write would cost a delete per call. */
    private static final Duration PRUNE_INTERVAL = Duration.ofHours(1);

    private final AuditStore store;
    private final AuditConfig config;
    private final AtomicReference<Instant> lastPruned = new AtomicReference<>(Instant.EPOCH);

    AuditTrail(AuditStore store, AuditConfig config) {
        this.store = store;
        this.config = config;
    }

    /** Records that {@code actor} called {@code action} on {@code target} from {@code peer}, and how it ended. */
    void record(String actor, String peer, String action, AuditedMethods.Target target, Status.Code code) {
        Instant now = Instant.now();
        AuditEvent event = new AuditEvent(UUID.randomUUID().toString(), now, actor, peer, action, target.pipeline(),
                target.runId(), target.apiKeyId(), outcome(code), code.name());
        try {
            store.appendAuditEvent(event);
            prune(now);
        } catch (CatalogException failure) {
            LOG.errorf(failure, "cannot record in the audit trail: %s %s by %s ended %s", action, target, actor, code);
        }
    }

    private void prune(Instant now) {
        Instant last = lastPruned.get();
        if (last.plus(PRUNE_INTERVAL).isBefore(now) && lastPruned.compareAndSet(last, now)) {
            store.deleteAuditEventsBefore(now.minus(config.retention()));
        }
    }

    private static AuditOutcome outcome(Status.Code code) {
        return switch (code) {
            case OK -> AuditOutcome.OK;
            case UNAUTHENTICATED, PERMISSION_DENIED -> AuditOutcome.DENIED;
            case CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS, RESOURCE_EXHAUSTED,
                 FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS ->
                    AuditOutcome.FAILED;
        };
    }
}
