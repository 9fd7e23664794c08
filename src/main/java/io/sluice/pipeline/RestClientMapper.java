package io.sluice.pipeline;

import io.sluice.proto.v1.CircuitBreaker;
import io.sluice.proto.v1.RestClientPolicy;
import java.time.Duration;
import java.util.Optional;

/** Maps a REST source's {@code client}: request timeout, retries, circuit breaker and limits, with their defaults. */
final class RestClientMapper {
    private final PipelineSpecMapper spec;
    private final SpecProblems problems;

    RestClientMapper(PipelineSpecMapper spec, SpecProblems problems) {
        this.spec = spec;
        this.problems = problems;
    }

    Optional<RestApiSourceSpec.RestClientPolicy> map(RestClientPolicy client, String at) {
        int mark = problems.mark();
        Optional<Duration> timeout = durationOr(client.getTimeout(), at + ".timeout", RestApiSourceSpec.RestClientPolicy.DEFAULT_TIMEOUT);
        Optional<RetryPolicy> retries = client.hasRetries() ? spec.retries(at + ".retries", client.getRetries())
                : Optional.of(RestApiSourceSpec.RestClientPolicy.DEFAULT_RETRIES);
        Optional<RestApiSourceSpec.CircuitBreakerSpec> breaker = breaker(client.getCircuitBreaker(), at + ".circuit_breaker");
        if (client.getMaxConcurrentResources() < 0) {
            problems.invalid(at + ".max_concurrent_resources", "must not be negative");
        }
        if (client.getMaxRequests() < 0) {
            problems.invalid(at + ".max_requests", "must not be negative");
        }
        Optional<Duration> maxRetryAfter = durationOr(client.getMaxRetryAfter(), at + ".max_retry_after",
                RestApiSourceSpec.RestClientPolicy.DEFAULT_MAX_RETRY_AFTER);
        return problems.buildIfClean(mark, () -> new RestApiSourceSpec.RestClientPolicy(timeout.orElseThrow(), retries.orElseThrow(),
                breaker.orElseThrow(),
                client.getMaxConcurrentResources() == 0 ? RestApiSourceSpec.RestClientPolicy.DEFAULT_CONCURRENT_RESOURCES
                        : client.getMaxConcurrentResources(),
                client.getMaxRequests() == 0 ? RestApiSourceSpec.RestClientPolicy.DEFAULT_MAX_REQUESTS : client.getMaxRequests(),
                maxRetryAfter.orElseThrow()));
    }

    private Optional<RestApiSourceSpec.CircuitBreakerSpec> breaker(CircuitBreaker breaker, String at) {
        int mark = problems.mark();
        RestApiSourceSpec.CircuitBreakerSpec defaults = RestApiSourceSpec.CircuitBreakerSpec.DEFAULT;
        if (breaker.getRequestVolumeThreshold() < 0) {
            problems.invalid(at + ".request_volume_threshold", "must not be negative");
        }
        if (breaker.getFailureRatio() < 0 || breaker.getFailureRatio() > 1) {
            problems.invalid(at + ".failure_ratio", breaker.getFailureRatio() + " is not a ratio from 0 to 1");
        }
        Optional<Duration> delay = durationOr(breaker.getDelay(), at + ".delay", defaults.delay());
        return problems.buildIfClean(mark, () -> new RestApiSourceSpec.CircuitBreakerSpec(
                breaker.getRequestVolumeThreshold() == 0 ? defaults.requestVolumeThreshold() : breaker.getRequestVolumeThreshold(),
                breaker.getFailureRatio() == 0 ? defaults.failureRatio() : breaker.getFailureRatio(),
                delay.orElseThrow()));
    }

    private Optional<Duration> durationOr(String text, String field, Duration fallback) {
        return text.isEmpty() ? Optional.of(fallback) : spec.duration(field, text);
    }
}
