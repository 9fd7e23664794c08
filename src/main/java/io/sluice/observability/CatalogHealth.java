package io.sluice.observability;

import io.sluice.catalog.CatalogStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the catalog answers a query: without it no pipeline can be read and no run recorded. */
@Readiness
@ApplicationScoped
class CatalogHealth implements HealthCheck {
    private final CatalogStore catalog;

    CatalogHealth(CatalogStore catalog) {
        this.catalog = catalog;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            catalog.pipelines(1, "");
            return HealthCheckResponse.up("catalog");
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("catalog").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
