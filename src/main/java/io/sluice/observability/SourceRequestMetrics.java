package io.sluice.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.runs.RunObserver;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.OptionalInt;

/** Times the requests sources send to remote APIs, by host and outcome: the latency and the errors of each API. */
@ApplicationScoped
class SourceRequestMetrics implements RunObserver {
    private final MeterRegistry registry;

    SourceRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void requested(String host, OptionalInt status, Duration elapsed) {
        Timer.builder("sluice.source.request").description("Requests sources sent, by host and outcome (no_answer: the connection failed or timed out)")
                .tags("host", host, "outcome", outcome(status)).publishPercentileHistogram().register(registry).record(elapsed);
    }

    /** The status family, in the words Micrometer's HTTP metrics use. */
    private static String outcome(OptionalInt status) {
        if (status.isEmpty()) {
            return "no_answer";
        }
        int code = status.getAsInt();
        if (code < 200) {
            return "informational";
        }
        if (code < 300) {
            return "success";
        }
        if (code < 400) {
            return "redirection";
        }
        return code < 500 ? "client_error" : "server_error";
    }
}
