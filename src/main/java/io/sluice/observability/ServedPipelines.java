package io.sluice.observability;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while {@code sluice serve} applies its pipeline files (sluice.serve.pipelines): a trigger sent meanwhile
 * would not find the pipelines yet. Ready otherwise, also in a process that applies none.
 */
@Readiness
@ApplicationScoped
public class ServedPipelines implements HealthCheck {
    private volatile boolean applying;

    public void applying() {
        applying = true;
    }

    public void applied() {
        applying = false;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("served pipelines").status(!applying).withData("applying", applying).build();
    }
}
