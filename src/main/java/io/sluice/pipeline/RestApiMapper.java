package io.sluice.pipeline;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.Resource;
import io.sluice.proto.v1.ResponseAction;
import io.sluice.proto.v1.RestApiSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps a {@code rest_api} source: its base URL, auth, client policy and resources, the source's headers, params and
 * paginator taken by each endpoint that does not set its own, and each placeholder checked against what it names.
 */
final class RestApiMapper {
    /** Where a credential that a request needs goes instead of a literal in the spec. */
    private static final String USE_AUTH = "put it in auth (bearer, basic, api_key or oauth2_client_credentials), which names a secret";

    private final PipelineSpecMapper spec;
    private final SpecProblems problems;

    RestApiMapper(PipelineSpecMapper spec, SpecProblems problems) {
        this.spec = spec;
        this.problems = problems;
    }

    Optional<SourceSpec> map(RestApiSource source, String path) {
        int mark = problems.mark();
        Optional<URI> baseUrl = baseUrl(source.getBaseUrl(), path + ".base_url");
        LiteralCredentials.inFields(source.getHeadersMap(), path + ".headers", USE_AUTH, problems);
        LiteralCredentials.inFields(source.getParamsMap(), path + ".params", USE_AUTH, problems);
        Optional<RestAuth> auth = source.hasAuth() ? new RestAuthMapper(spec, problems).map(source.getAuth(), path + ".auth") : Optional.empty();
        Optional<RestApiSourceSpec.RestClientPolicy> client = new RestClientMapper(spec, problems).map(source.getClient(), path + ".client");
        Optional<PaginatorSpec> sourcePaginator = source.hasPaginator()
                ? PaginatorMapper.map(source.getPaginator(), path + ".paginator", problems) : Optional.of(new PaginatorSpec.Auto());
        if (source.getResourcesCount() == 0) {
            problems.invalid(path + ".resources", "at least one resource is required");
        }
        Map<String, String> tables = new HashMap<>();
        Set<String> earlier = new HashSet<>();
        List<Optional<RestApiSourceSpec.RestResource>> resources = new ArrayList<>();
        for (int i = 0; i < source.getResourcesCount(); i++) {
            Resource resource = source.getResources(i);
            resources.add(resource(source, resource, path + ".resources[" + i + "]", tables, earlier, sourcePaginator));
            earlier.add(resource.getName());
        }
        return problems.buildIfClean(mark, () -> new RestApiSourceSpec(baseUrl.orElseThrow(), auth, client.orElseThrow(),
                resources.stream().map(Optional::orElseThrow).toList()));
    }

    private Optional<URI> baseUrl(String text, String field) {
        if (text.isEmpty()) {
            problems.invalid(field, "required, e.g. https://api.example.com/v1/");
            return Optional.empty();
        }
        Optional<URI> url = httpUrl(text);
        if (url.isEmpty()) {
            // Not echoed: a URL with credentials in it must not reach an error.
            problems.invalid(field, "must be an http or https URL with a host and without credentials, e.g. https://api.example.com/v1/");
        } else {
            credentialsInUrl(text, field, problems);
        }
        return url;
    }

    /** Refuses a URL whose query carries a credential ({@code ?api_key=…}); user information is refused with the URL itself. */
    static void credentialsInUrl(String url, String field, SpecProblems problems) {
        LiteralCredentials.inUrl(url).ifPresent(found -> problems.invalid(field, "must not hold a credential, but has " + found
                + ": " + USE_AUTH));
    }

    /** {@code text} as an http or https URL with a host and no credentials in it; empty when it is not one. */
    static Optional<URI> httpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getUserInfo() == null
                    ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private Optional<RestApiSourceSpec.RestResource> resource(RestApiSource source, Resource resource, String at,
                                                              Map<String, String> tables, Set<String> earlier,
                                                              Optional<PaginatorSpec> sourcePaginator) {
        int mark = problems.mark();
        Optional<ResourceMapper.Common> common = ResourceMapper.common(resource, at, tables, problems, spec.checks());
        FileResourceMapper.refuseFileFields(resource, at, problems);
        notFor(at + ".table", !resource.getTable().isEmpty(), "sql_database");
        notFor(at + ".query", !resource.getQuery().isEmpty(), "sql_database");
        notFor(at + ".included_columns", resource.getIncludedColumnsCount() > 0, "sql_database");
        Optional<PaginatorSpec> paginator = resource.hasPaginator()
                ? PaginatorMapper.map(resource.getPaginator(), at + ".paginator", problems) : sourcePaginator;
        Optional<RestApiSourceSpec.RestEndpoint> endpoint = endpoint(source, resource.getName(), resource.getEndpoint(), at + ".endpoint");
        Placeholders placeholders = new Placeholders();
        Endpoint declared = resource.getEndpoint();
        placeholders.collect(declared.getPath(), declared.getParamsMap(), declared.getHeadersMap(),
                declared.hasJson() ? Optional.of(plain(declared.getJson())) : Optional.empty(), at + ".endpoint", problems);
        Optional<String> parent = placeholders.parent(at + ".endpoint", resource.getName(), earlier, problems);
        if (placeholders.usesIncremental() && !resource.hasIncremental()) {
            problems.invalid(at + ".endpoint", "uses {incremental.…} placeholders, but the resource has no incremental");
        }
        if (resource.getEndpoint().getPagesPerRun() > 0 && parent.isPresent()) {
            problems.invalid(at + ".endpoint.pages_per_run", "applies only to a resource without a parent");
        }
        if (resource.getIncludeFromParentCount() > 0 && parent.isEmpty()) {
            problems.invalid(at + ".include_from_parent", "applies only to a child resource: one whose endpoint takes"
                    + " {resources.PARENT.FIELD} values");
        }
        for (int i = 0; i < resource.getIncludeFromParentCount(); i++) {
            if (resource.getIncludeFromParent(i).isBlank()) {
                problems.invalid(at + ".include_from_parent[" + i + "]", "must name a field of the parent");
            }
        }
        return problems.buildIfClean(mark, () -> new RestApiSourceSpec.RestResource(resource.getName(), common.orElseThrow().tableName(),
                endpoint.orElseThrow(), paginator.orElseThrow(), parent, resource.getIncludeFromParentList(),
                common.orElseThrow().hints(), common.orElseThrow().incremental()));
    }

    private Optional<RestApiSourceSpec.RestEndpoint> endpoint(RestApiSource source, String name, Endpoint endpoint, String at) {
        int mark = problems.mark();
        // As in dlt: a resource without an endpoint path requests its own name.
        String path = endpoint.getPath().isEmpty() ? name : endpoint.getPath();
        credentialsInUrl(path, at + ".path", problems);
        LiteralCredentials.inFields(endpoint.getHeadersMap(), at + ".headers", USE_AUTH, problems);
        LiteralCredentials.inFields(endpoint.getParamsMap(), at + ".params", USE_AUTH, problems);
        if (endpoint.hasJson()) {
            LiteralCredentials.inJson(plain(endpoint.getJson()), at + ".json", USE_AUTH, problems);
        }
        Optional<RestApiSourceSpec.Method> method = switch (endpoint.getMethod().toUpperCase(Locale.ROOT)) {
            case "", "GET" -> Optional.of(RestApiSourceSpec.Method.GET);
            case "POST" -> Optional.of(RestApiSourceSpec.Method.POST);
            default -> {
                problems.invalid(at + ".method", "'" + endpoint.getMethod() + "' is not supported; use GET or POST");
                yield Optional.empty();
            }
        };
        if (endpoint.hasJson() && method.isPresent() && method.get() != RestApiSourceSpec.Method.POST) {
            problems.invalid(at + ".json", "a JSON body needs method POST");
        }
        if (endpoint.getMaxPages() < 0) {
            problems.invalid(at + ".max_pages", "must not be negative");
        }
        if (endpoint.getPagesPerRun() < 0) {
            problems.invalid(at + ".pages_per_run", "must not be negative");
        }
        if (!endpoint.getDataSelector().isEmpty()) {
            JsonPaths.check(endpoint.getDataSelector(), at + ".data_selector", problems);
        }
        List<RestApiSourceSpec.ResponseAction> actions = new ArrayList<>();
        for (int i = 0; i < endpoint.getResponseActionsCount(); i++) {
            responseAction(endpoint.getResponseActions(i), at + ".response_actions[" + i + "]").ifPresent(actions::add);
        }
        Map<String, String> params = new LinkedHashMap<>(source.getParamsMap());
        params.putAll(endpoint.getParamsMap());
        Map<String, String> headers = new LinkedHashMap<>(source.getHeadersMap());
        headers.putAll(endpoint.getHeadersMap());
        return problems.buildIfClean(mark, () -> new RestApiSourceSpec.RestEndpoint(path, method.orElseThrow(), params, headers,
                endpoint.hasJson() ? Optional.of(plain(endpoint.getJson())) : Optional.empty(),
                PipelineSpecMapper.optional(endpoint.getDataSelector()), actions, endpoint.getMaxPages(), endpoint.getPagesPerRun()));
    }

    private Optional<RestApiSourceSpec.ResponseAction> responseAction(ResponseAction action, String at) {
        int mark = problems.mark();
        if (action.getStatusCode() != 0 && (action.getStatusCode() < 100 || action.getStatusCode() > 599)) {
            problems.invalid(at + ".status_code", action.getStatusCode() + " is not an HTTP status");
        }
        if (action.getStatusCode() == 0 && action.getContent().isEmpty()) {
            problems.invalid(at, "needs a status_code or a content to match");
        }
        Optional<RestApiSourceSpec.ResponseAction.Action> kind = switch (action.getAction()) {
            case IGNORE -> Optional.of(RestApiSourceSpec.ResponseAction.Action.IGNORE);
            case FAIL -> Optional.of(RestApiSourceSpec.ResponseAction.Action.FAIL);
            case ACTION_UNSPECIFIED -> {
                problems.invalid(at + ".action", "required: IGNORE or FAIL");
                yield Optional.empty();
            }
            case UNRECOGNIZED -> problems.unrecognized(at + ".action", action.getActionValue(), ResponseAction.Action.getDescriptor());
        };
        return problems.buildIfClean(mark, () -> new RestApiSourceSpec.ResponseAction(action.getStatusCode(), action.getContent(),
                kind.orElseThrow()));
    }

    private void notFor(String field, boolean present, String sourceKind) {
        if (present) {
            problems.invalid(field, "applies only to " + sourceKind + " sources");
        }
    }

    /** A JSON body as plain Java values; whole numbers stay whole (protobuf keeps every number as a double). */
    static Object plain(Struct struct) {
        Map<String, Object> map = new LinkedHashMap<>();
        struct.getFieldsMap().forEach((key, value) -> map.put(key, plain(value)));
        return map;
    }

    private static Object plain(Value value) {
        return switch (value.getKindCase()) {
            case STRUCT_VALUE -> plain(value.getStructValue());
            case LIST_VALUE -> plain(value.getListValue());
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> value.getBoolValue();
            case NUMBER_VALUE -> {
                double number = value.getNumberValue();
                yield number == Math.rint(number) && Math.abs(number) < 1e15 ? (Object) (long) number : (Object) number;
            }
            case NULL_VALUE, KIND_NOT_SET -> null;
        };
    }

    private static List<Object> plain(ListValue list) {
        List<Object> values = new ArrayList<>();
        list.getValuesList().forEach(value -> values.add(plain(value)));
        return values;
    }
}
