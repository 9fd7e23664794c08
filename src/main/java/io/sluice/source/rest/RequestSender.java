package io.sluice.source.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.Guard;
import io.sluice.pipeline.RestApiSourceSpec.RestClientPolicy;
import io.sluice.source.RequestListener;
import io.sluice.source.SourceException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Sends a source's requests through a SmallRye Fault Tolerance guard per host, built from the spec's client policy:
 * a timeout per request, retries of transient failures (HTTP 429 and 503 after their Retry-After, other 5xx and
 * connection failures after the policy's backoff with jitter) and a circuit breaker. Other answers, 4xx among them, are
 * returned as they are, for the caller to read, never retried.
 */
final class RequestSender {
    private static final Logger LOG = Logger.getLogger(RequestSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final int MOST_REDIRECTS = 5;

    private final HttpClient client;
    private final Authentication authentication;
    private final RestClientPolicy policy;
    private final RequestListener requests;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();

    RequestSender(HttpClient client, Authentication authentication, RestClientPolicy policy, RequestListener requests) {
        this.client = client;
        this.authentication = authentication;
        this.policy = policy;
        this.requests = requests;
    }

    /**
     * The answer to {@code request}; the API's refusal of fetched credentials fetches them again, once. Redirects are
     * followed here, and only on the request's own host: the credentials go nowhere else.
     */
    HttpResponse<byte[]> send(PageRequest request, RequestBudget budget) {
        HttpResponse<byte[]> response = guarded(request, budget);
        if ((response.statusCode() == 401 || response.statusCode() == 403) && authentication.refresh()) {
            response = guarded(request, budget);
        }
        PageRequest sent = request;
        for (int redirects = 0; REDIRECTS.contains(response.statusCode()) && redirects < MOST_REDIRECTS; redirects++) {
            Optional<String> location = response.headers().firstValue("Location");
            if (location.isEmpty()) {
                break;
            }
            PageRequest redirected = sent.withUrl(authentication.withoutCredentials(sent.uri().resolve(location.get())));
            if (!host(redirected).equals(host(request)) || !redirected.url().getScheme().equalsIgnoreCase(request.url().getScheme())) {
                throw new SourceException(request.method() + " " + sent.uri() + ": HTTP " + response.statusCode() + " redirects to "
                        + redirected.url().getScheme() + "://" + host(redirected) + ", another origin, where the credentials are not sent;"
                        + " set base_url to it");
            }
            sent = redirected;
            response = guarded(sent, budget);
        }
        return response;
    }

    /** The next request as the API linked to it, without the credentials the sender adds itself. */
    PageRequest withoutCredentials(PageRequest request) {
        URI url = authentication.withoutCredentials(request.url());
        return url.equals(request.url()) ? request : new PageRequest(url, request.method(), request.params(), request.headers(), request.json());
    }

    private HttpResponse<byte[]> guarded(PageRequest request, RequestBudget budget) {
        Guard guard = guards.computeIfAbsent(host(request), this::guard);
        try {
            return guard.call(() -> once(request, budget), Answer.class).response();
        } catch (TransientHttpFailure | TimeoutException e) {
            throw new SourceException(request.method() + " " + request.uri() + " failed after " + policy.retries().maxAttempts()
                    + " attempt(s): " + e.getMessage(), true, e);
        } catch (CircuitBreakerOpenException e) {
            throw new SourceException(request.method() + " " + request.uri() + ": too many requests to " + host(request)
                    + " failed; the circuit breaker holds the next ones for " + policy.circuitBreaker().delay().toSeconds() + "s", true, e);
        } catch (SourceException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while requesting " + request.uri(), false, e);
        } catch (Exception e) {
            throw new SourceException(request.method() + " " + request.uri() + ": " + describe(e), false, e);
        }
    }

    /** The answer, boxed for the guard, which needs a class to type its result by. */
    private record Answer(HttpResponse<byte[]> response) {
    }

    private Answer once(PageRequest request, RequestBudget budget) throws InterruptedException {
        budget.spend(request);
        HttpRequest.Builder builder = HttpRequest.newBuilder(authentication.uri(request.uri()))
                .timeout(policy.timeout())
                .header("Accept", "application/json");
        request.headers().forEach(builder::setHeader);
        authentication.authenticate(builder);
        switch (request.method()) {
            case GET -> builder.GET();
            case POST -> builder.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body(request)));
        }
        HttpResponse<byte[]> response = null;
        long sent = System.nanoTime();
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (UnknownHostException | ConnectException e) {
            throw new TransientHttpFailure("cannot reach " + host(request) + ": " + describe(e), Optional.empty(), e);
        } catch (SSLHandshakeException e) {
            // A certificate the JVM does not trust, an expired one, a name that does not match: retrying changes nothing.
            throw new SourceException(request.method() + " " + request.uri() + ": the TLS handshake with " + host(request) + " failed: "
                    + describe(e) + " (is the server's certificate signed by a CA in the JVM's trust store?)", false, e);
        } catch (IOException e) {
            throw new TransientHttpFailure(describe(e), Optional.empty(), e);
        } finally {
            requests.requested(host(request), response == null ? OptionalInt.empty() : OptionalInt.of(response.statusCode()),
                    Duration.ofNanos(System.nanoTime() - sent));
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            Optional<Duration> retryAfter = status == 429 || status == 503 ? retryAfter(response) : Optional.empty();
            if (retryAfter.isPresent() && retryAfter.get().compareTo(policy.maxRetryAfter()) > 0) {
                throw new SourceException(request.method() + " " + request.uri() + ": HTTP " + status + " asks to retry after "
                        + retryAfter.get().toSeconds() + "s, longer than client.max_retry_after (" + policy.maxRetryAfter().toSeconds() + "s)");
            }
            throw new TransientHttpFailure("HTTP " + status, retryAfter, null);
        }
        return new Answer(response);
    }

    private Guard guard(String host) {
        return Guard.create()
                .withDescription("requests to " + host)
                .withRetry()
                .maxRetries(policy.retries().maxAttempts() - 1)
                .maxDuration(0, ChronoUnit.MILLIS)
                .whenException(RequestSender::isTransient)
                .withCustomBackoff().strategy(() -> new Backoff(host)).done()
                .done()
                .withCircuitBreaker()
                .requestVolumeThreshold(policy.circuitBreaker().requestVolumeThreshold())
                .failureRatio(policy.circuitBreaker().failureRatio())
                .delay(policy.circuitBreaker().delay().toMillis(), ChronoUnit.MILLIS)
                .when(RequestSender::isTransient)
                .done()
                .withTimeout()
                // The HTTP client's own timeout ends the request first; this one bounds a server that trickles.
                .duration(policy.timeout().toMillis() + 1_000, ChronoUnit.MILLIS)
                .done()
                .build();
    }

    private static boolean isTransient(Throwable failure) {
        return failure instanceof TransientHttpFailure || failure instanceof TimeoutException;
    }

    /**
     * The server's Retry-After, else the policy's backoff with jitter. Each retry is logged — on the run's thread, so the
     * run's log shows it — naming the host only: a path or query may hold a secret.
     */
    private final class Backoff implements CustomBackoffStrategy {
        private final String host;
        private int attempt = 1;

        Backoff(String host) {
            this.host = host;
        }

        @Override
        public long nextDelayInMillis(Throwable cause) {
            attempt++;
            Duration planned = policy.retries().delayBefore(Math.min(attempt, policy.retries().maxAttempts()), ThreadLocalRandom.current().nextDouble());
            long delay = cause instanceof TransientHttpFailure failure ? failure.retryAfter().orElse(planned).toMillis() : planned.toMillis();
            LOG.warnf("request to %s failed (%s); attempt %d of %d in %d ms", host, cause.getMessage(), attempt,
                    policy.retries().maxAttempts(), delay);
            return delay;
        }
    }

    /** Seconds, or an HTTP date. */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(String::trim).flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
            } catch (NumberFormatException notSeconds) {
                try {
                    Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                    return Optional.of(until.isNegative() ? Duration.ZERO : until);
                } catch (DateTimeParseException notDate) {
                    return Optional.empty();
                }
            }
        });
    }

    private static byte[] body(PageRequest request) {
        try {
            return JSON.writeValueAsBytes(request.json().orElse(Map.of()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a spec's JSON body is JSON", e);
        }
    }

    private static String host(PageRequest request) {
        return request.url().getHost() + (request.url().getPort() < 0 ? "" : ":" + request.url().getPort());
    }

    /** What went wrong, in words: Java's connection exceptions often have no message of their own. */
    static String describe(Exception failure) {
        return switch (failure) {
            case HttpConnectTimeoutException ignored -> "the connection timed out";
            case HttpTimeoutException ignored -> "no answer within the request timeout";
            case UnknownHostException ignored -> "unknown host";
            case ConnectException ignored -> "connection refused";
            default -> failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        };
    }
}
