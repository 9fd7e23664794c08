package io.sluice.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.sluice.runs.ConcurrencyLimits;
import io.sluice.runs.LimitUsage;
import io.sluice.runs.SluiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.ToIntFunction;

/**
 * The slots of each concurrency limit, used, free and waited for, read from the limits as they are at each scrape: the
 * global one ({@code sluice.runs.max-active}, as limit {@code global}) and every named one ({@code sluice.limits.*},
 * known from the config, so their gauges exist before any run takes one).
 */
@Startup
@ApplicationScoped
class LimitMetrics {
    static final String GLOBAL = "global";

    LimitMetrics(MeterRegistry registry, ConcurrencyLimits limits, SluiceConfig config) {
        register(registry, limits, LimitUsage.Kind.GLOBAL, GLOBAL);
        config.limits().keySet().forEach(name -> register(registry, limits, LimitUsage.Kind.NAMED, name));
    }

    private static void register(MeterRegistry registry, ConcurrencyLimits limits, LimitUsage.Kind kind, String name) {
        gauge(registry, limits, kind, name, "used", usage -> usage.holding().size());
        gauge(registry, limits, kind, name, "free", usage -> Math.max(0, usage.size() - usage.holding().size()));
        gauge(registry, limits, kind, name, "waiting", usage -> usage.waiting().size());
    }

    private static void gauge(MeterRegistry registry, ConcurrencyLimits limits, LimitUsage.Kind kind, String name, String state,
                              ToIntFunction<LimitUsage> count) {
        Gauge.builder("sluice.limit.slots", limits, now -> now.snapshot().stream()
                        .filter(usage -> usage.kind() == kind && (kind == LimitUsage.Kind.GLOBAL || usage.name().equals(name)))
                        .mapToInt(count).sum())
                .strongReference(true).tag("limit", name).tag("state", state)
                .description("Slots of a concurrency limit: used, free, and runs waiting for one").register(registry);
    }
}
