package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/** Which audit events a listing returns; empty parts match every event. */
public record AuditFilter(Optional<String> pipeline, Optional<String> actor, Optional<String> action, Optional<Instant> since,
                          Optional<Instant> before) {
    public AuditFilter {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(action, "action is null");
        requireNonNull(since, "since is null");
        requireNonNull(before, "before is null");
    }
}
