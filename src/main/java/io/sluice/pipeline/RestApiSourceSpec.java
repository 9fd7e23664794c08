package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import io.sluice.schema.TableHints;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON REST API: each resource an endpoint under the base URL, read page by page.
 *
 * @param auth how requests authenticate; empty: they do not
 */
public record RestApiSourceSpec(URI baseUrl, Optional<RestAuth> auth, RestClientPolicy client, List<RestResource> resources)
        implements SourceSpec {
    public RestApiSourceSpec {
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(auth, "auth is null");
        requireNonNull(client, "client is null");
        resources = List.copyOf(resources);
    }

    /** The resource called {@code name}. */
    public RestResource resource(String name) {
        return resources.stream().filter(resource -> resource.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no resource " + name));
    }

    /**
     * One endpoint read into one table.
     *
     * @param paginator the resource's, else the source's, else {@link PaginatorSpec.Auto}
     * @param parent the resource whose items fill this one's {@code {resources.PARENT.FIELD}} placeholders
     * @param includeFromParent the parent's fields copied into each item as {@code _PARENT_FIELD}
     */
    public record RestResource(String name, String tableName, RestEndpoint endpoint, PaginatorSpec paginator, Optional<String> parent,
                               List<String> includeFromParent, TableHints hints, Optional<IncrementalSpec> incremental)
            implements ResourceSpec {
        public RestResource {
            requireNonNull(name, "name is null");
            requireNonNull(tableName, "tableName is null");
            requireNonNull(endpoint, "endpoint is null");
            requireNonNull(paginator, "paginator is null");
            requireNonNull(parent, "parent is null");
            includeFromParent = List.copyOf(includeFromParent);
            requireNonNull(hints, "hints is null");
            requireNonNull(incremental, "incremental is null");
        }
    }

    /**
     * What a resource requests. Texts may hold placeholders ({@code {incremental.start_value}},
     * {@code {resources.issues.number}}).
     *
     * @param params the source's query parameters with the endpoint's over them
     * @param headers the source's headers with the endpoint's over them
     * @param json the body of a POST: maps, lists, texts, numbers, booleans and nulls
     * @param dataSelector JSONPath to the records; empty: detected in each response
     * @param maxPages most pages per walk; 0: no limit but the client's max requests
     * @param pagesPerRun most pages a run reads, the next one kept for the next run; 0: every page
     */
    public record RestEndpoint(String path, Method method, Map<String, String> params, Map<String, String> headers,
                               Optional<Object> json, Optional<String> dataSelector, List<ResponseAction> responseActions,
                               long maxPages, long pagesPerRun) {
        public RestEndpoint {
            requireNonNull(path, "path is null");
            requireNonNull(method, "method is null");
            params = Map.copyOf(params);
            headers = Map.copyOf(headers);
            requireNonNull(json, "json is null");
            requireNonNull(dataSelector, "dataSelector is null");
            responseActions = List.copyOf(responseActions);
        }
    }

    public enum Method {
        GET,
        POST
    }

    /**
     * A response matched by its status and/or the text its body contains.
     *
     * @param statusCode 0: any status
     * @param content empty: any body
     */
    public record ResponseAction(int statusCode, String content, Action action) {
        public ResponseAction {
            requireNonNull(content, "content is null");
            requireNonNull(action, "action is null");
        }

        public boolean matches(int status, String body) {
            return (statusCode == 0 || statusCode == status) && (content.isEmpty() || body.contains(content));
        }

        public enum Action {
            /** The response holds no records, and no page follows it. */
            IGNORE,
            FAIL
        }
    }

    /**
     * How requests are sent.
     *
     * @param timeout the longest one request may take
     * @param retries attempts of a request that failed transiently
     * @param maxRequests most requests per resource and run
     * @param maxRetryAfter the longest Retry-After waited for
     */
    public record RestClientPolicy(Duration timeout, RetryPolicy retries, CircuitBreakerSpec circuitBreaker, int maxConcurrentResources,
                                   long maxRequests, Duration maxRetryAfter) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
        public static final RetryPolicy DEFAULT_RETRIES = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);
        public static final int DEFAULT_CONCURRENT_RESOURCES = 4;
        public static final long DEFAULT_MAX_REQUESTS = 10_000;
        public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofMinutes(5);

        public RestClientPolicy {
            requireNonNull(timeout, "timeout is null");
            requireNonNull(retries, "retries is null");
            requireNonNull(circuitBreaker, "circuitBreaker is null");
            if (maxConcurrentResources < 1 || maxRequests < 1) {
                throw new IllegalArgumentException("maxConcurrentResources and maxRequests must be positive");
            }
            requireNonNull(maxRetryAfter, "maxRetryAfter is null");
        }
    }

    /** Opens after {@code failureRatio} of the last {@code requestVolumeThreshold} requests to a host failed, for {@code delay}. */
    public record CircuitBreakerSpec(int requestVolumeThreshold, double failureRatio, Duration delay) {
        public static final CircuitBreakerSpec DEFAULT = new CircuitBreakerSpec(20, 0.5, Duration.ofSeconds(10));

        public CircuitBreakerSpec {
            if (requestVolumeThreshold < 1 || failureRatio <= 0 || failureRatio > 1) {
                throw new IllegalArgumentException("requestVolumeThreshold >= 1, 0 < failureRatio <= 1");
            }
            requireNonNull(delay, "delay is null");
        }
    }
}
