package io.sluice.pipeline;

import io.sluice.proto.v1.Resource;
import io.sluice.proto.v1.SqlDatabaseSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Maps the {@code sql_database} source of a spec to its {@link SqlDatabaseSourceSpec}, checking each field it reads. */
final class SqlDatabaseMapper {
    private static final String PATH = "source.sql_database";
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:(postgresql|mariadb|mysql|duckdb):.*");
    /** What a table pattern may hold: names, and the wildcards * and ?. */
    private static final Pattern TABLE_PATTERN = Pattern.compile("[^\\s]+");

    private SqlDatabaseMapper() {
    }

    static Optional<SourceSpec> map(SqlDatabaseSource source, SpecProblems problems, DestinationChecks checks) {
        int mark = problems.mark();
        if (source.getUrl().isEmpty()) {
            problems.invalid(PATH + ".url", "required, e.g. jdbc:postgresql://db.internal:5432/shop");
        } else if (!JDBC_URL.matcher(source.getUrl()).matches()) {
            // Not echoed: a URL may carry a password.
            problems.invalid(PATH + ".url", "must be a JDBC URL of PostgreSQL (jdbc:postgresql:), MariaDB or MySQL"
                    + " (jdbc:mariadb:, jdbc:mysql:) or DuckDB (jdbc:duckdb:)");
        } else {
            LiteralCredentials.inUrl(source.getUrl()).ifPresent(found -> problems.invalid(PATH + ".url", "must not hold a credential,"
                    + " but has " + found + ": give the user in username and name the password's secret in password_secret"));
        }
        SecretReference.check(PATH + ".password_secret", source.getPasswordSecret(), false, problems);
        if (source.getChunkSize() < 0) {
            problems.invalid(PATH + ".chunk_size", "must be positive (default " + SqlDatabaseSourceSpec.DEFAULT_CHUNK_SIZE + ")");
        }
        patterns(PATH + ".include", source.getIncludeList(), problems);
        patterns(PATH + ".exclude", source.getExcludeList(), problems);
        Map<String, String> tables = new HashMap<>();
        List<Optional<SqlDatabaseSourceSpec.SqlResource>> resources = new ArrayList<>();
        for (int i = 0; i < source.getResourcesCount(); i++) {
            resources.add(resource(source.getResources(i), PATH + ".resources[" + i + "]", tables, problems, checks));
        }
        return problems.buildIfClean(mark, () -> new SqlDatabaseSourceSpec(
                source.getUrl(),
                PipelineSpecMapper.optional(source.getUsername()),
                PipelineSpecMapper.optional(source.getPasswordSecret()),
                PipelineSpecMapper.optional(source.getSchema()),
                resources.stream().map(Optional::orElseThrow).toList(),
                source.getIncludeList(),
                source.getExcludeList(),
                source.getChunkSize() == 0 ? SqlDatabaseSourceSpec.DEFAULT_CHUNK_SIZE : source.getChunkSize()));
    }

    /** A table by name, or a query; a resource with neither reads the table named as the resource. */
    private static Optional<SqlDatabaseSourceSpec.SqlResource> resource(Resource resource, String at, Map<String, String> tables,
                                                                       SpecProblems problems, DestinationChecks checks) {
        int mark = problems.mark();
        Optional<ResourceMapper.Common> common = ResourceMapper.common(resource, at, tables, problems, checks);
        if (!resource.getTable().isEmpty() && !resource.getQuery().isEmpty()) {
            problems.invalid(at + ".query", "a resource reads a table or a query, not both");
        }
        if (!resource.getQuery().isEmpty() && resource.getIncludedColumnsCount() > 0) {
            problems.invalid(at + ".included_columns", "applies to a table; a query selects its own columns");
        }
        ResourceMapper.keys(at + ".included_columns", resource.getIncludedColumnsList(), problems);
        FileResourceMapper.refuseFileFields(resource, at, problems);
        ResourceMapper.notFor(at + ".endpoint", resource.hasEndpoint(), "rest_api", problems);
        ResourceMapper.notFor(at + ".paginator", resource.hasPaginator(), "rest_api", problems);
        ResourceMapper.notFor(at + ".include_from_parent", resource.getIncludeFromParentCount() > 0, "rest_api", problems);
        Optional<String> query = PipelineSpecMapper.optional(resource.getQuery());
        Optional<String> table = query.isPresent() ? Optional.empty()
                : Optional.of(resource.getTable().isEmpty() ? resource.getName() : resource.getTable());
        return problems.buildIfClean(mark, () -> new SqlDatabaseSourceSpec.SqlResource(
                resource.getName(),
                common.orElseThrow().tableName(),
                table,
                query,
                resource.getIncludedColumnsList(),
                common.orElseThrow().hints(),
                common.orElseThrow().incremental()));
    }

    private static void patterns(String field, List<String> patterns, SpecProblems problems) {
        for (int i = 0; i < patterns.size(); i++) {
            if (!TABLE_PATTERN.matcher(patterns.get(i)).matches()) {
                problems.invalid(field + "[" + i + "]", "must be a table name pattern without spaces, e.g. \"orders_*\"");
            }
        }
    }
}
