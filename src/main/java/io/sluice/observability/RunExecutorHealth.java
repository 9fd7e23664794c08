package io.sluice.observability;

import io.sluice.runs.RunExecutor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Live and ready while the run executor answers: a wedged executor would let runs overrun their timeouts, and a
 * restart is the cure; a stopping one takes no new runs.
 */
@Liveness
@Readiness
@ApplicationScoped
class RunExecutorHealth implements HealthCheck {
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

    private final RunExecutor executor;

    RunExecutorHealth(RunExecutor executor) {
        this.executor = executor;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("run executor").status(executor.responsive(ANSWER_WITHIN)).build();
    }
}
