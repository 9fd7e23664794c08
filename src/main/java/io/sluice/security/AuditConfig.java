package io.sluice.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The audit trail of the API's changing calls (prefix {@code sluice.audit}). */
@ConfigMapping(prefix = "sluice.audit")
public interface AuditConfig {
    /** Whether calls that create, change, delete, trigger, cancel or retry something, or manage API keys, are recorded. */
    @WithDefault("true")
    boolean enabled();

    /** How long an event is kept; older ones are removed as new ones are recorded. */
    @WithDefault("90d")
    Duration retention();
}
