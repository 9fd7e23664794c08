package io.sluice.pipeline;

import io.sluice.api.v1.Destination;
import io.sluice.api.v1.FileFormat;
import io.sluice.api.v1.FilesystemSource;
import io.sluice.api.v1.Incremental;
import io.sluice.api.v1.Pipeline;
import io.sluice.api.v1.PostgresDestination;
import io.sluice.api.v1.Resource;
import io.sluice.api.v1.Source;
import io.sluice.api.v1.DataType;
import io.sluice.api.v1.WriteDisposition;
import io.sluice.schema.Naming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds every problem in a pipeline spec at once. Fields that the API defines but this version cannot run yet are
 * reported as {@link Problem.Kind#UNSUPPORTED}, never silently ignored.
 */
final class SpecValidator {
    private static final Pattern PIPELINE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final List<Problem> problems = new ArrayList<>();

    static List<Problem> validate(Pipeline pipeline) {
        SpecValidator validator = new SpecValidator();
        validator.pipeline(pipeline);
        return List.copyOf(validator.problems);
    }

    private void pipeline(Pipeline pipeline) {
        if (pipeline.getName().isEmpty()) {
            problems.add(Problem.invalid("name", "required"));
        } else if (!PIPELINE_NAME.matcher(pipeline.getName()).matches()) {
            problems.add(Problem.invalid("name", "'" + pipeline.getName()
                    + "' must be lower-case letters, digits and dashes, start with a letter, at most 63 characters"));
        }
        source(pipeline.getSource());
        destination(pipeline.getDestination(), pipeline.getName());
        if (!pipeline.getTimeout().isEmpty()) {
            duration("timeout", pipeline.getTimeout());
        }
        if (pipeline.hasSchedule()) {
            problems.add(Problem.unsupported("schedule", "schedules are not available yet; trigger runs through the API or CLI"));
        }
        if (pipeline.hasRetries()) {
            retries(pipeline.getRetries());
        }
        if (pipeline.hasConcurrency()) {
            problems.add(Problem.unsupported("concurrency", "per-pipeline concurrency limits are not available yet"));
        }
        if (pipeline.getAlertsCount() > 0) {
            problems.add(Problem.unsupported("alerts", "alerts are not available yet"));
        }
        if (pipeline.getTransformsCount() > 0) {
            problems.add(Problem.unsupported("transforms", "transforms are not available yet"));
        }
    }

    private void source(Source source) {
        switch (source.getKindCase()) {
            case FILESYSTEM -> filesystem(source.getFilesystem());
            case REST_API -> problems.add(Problem.unsupported("source.rest_api", "REST API sources are not available yet"));
            case SQL_DATABASE -> problems.add(Problem.unsupported("source.sql_database", "SQL database sources are not available yet"));
            case KIND_NOT_SET -> problems.add(Problem.invalid("source", "required: one of filesystem, rest_api, sql_database"));
        }
    }

    private void filesystem(FilesystemSource filesystem) {
        String path = "source.filesystem";
        if (filesystem.getResourcesCount() == 0) {
            problems.add(Problem.invalid(path + ".resources", "at least one resource is required"));
        }
        Map<String, String> tables = new HashMap<>();
        for (int i = 0; i < filesystem.getResourcesCount(); i++) {
            Resource resource = filesystem.getResources(i);
            String at = path + ".resources[" + i + "]";
            resource(resource, at, tables);
            if (resource.getGlob().isEmpty()) {
                problems.add(Problem.invalid(at + ".glob", "required, e.g. \"events/*.jsonl\""));
            }
            if (resource.getFormat() == FileFormat.PARQUET) {
                problems.add(Problem.unsupported(at + ".format", "PARQUET files are not available yet; use JSONL or CSV"));
            }
            if (resource.hasCsv() && resource.getCsv().getDelimiter().length() > 1) {
                problems.add(Problem.invalid(at + ".csv.delimiter", "must be a single character"));
            }
            notFor(at + ".endpoint", resource.hasEndpoint(), "rest_api");
            notFor(at + ".paginator", resource.hasPaginator(), "rest_api");
            notFor(at + ".table", !resource.getTable().isEmpty(), "sql_database");
            notFor(at + ".query", !resource.getQuery().isEmpty(), "sql_database");
        }
    }

    private void resource(Resource resource, String at, Map<String, String> tables) {
        if (resource.getName().isEmpty()) {
            problems.add(Problem.invalid(at + ".name", "required"));
        } else {
            String table = Naming.snakeCase(resource.getTableName().isEmpty() ? resource.getName() : resource.getTableName());
            String other = tables.putIfAbsent(table, resource.getName());
            if (other != null) {
                problems.add(Problem.invalid(at + ".name", "resources '" + other + "' and '" + resource.getName()
                        + "' both load into table '" + table + "'"));
            }
        }
        MergeValidator.validate(resource, at, problems);
        if (resource.getReplaceStrategyValue() != 0 && resource.getWriteDisposition() != WriteDisposition.REPLACE) {
            problems.add(Problem.invalid(at + ".replace_strategy", "applies only with write_disposition REPLACE"));
        }
        if (resource.hasIncremental()) {
            incremental(at + ".incremental", resource.getIncremental(), resource.getWriteDisposition());
        }
        if (resource.getMaxNestingDepth() < 0) {
            problems.add(Problem.invalid(at + ".max_nesting_depth", "must not be negative"));
        }
        keys(at + ".primary_key", resource.getPrimaryKeyList());
        keys(at + ".merge_key", resource.getMergeKeyList());
        Set<String> declared = new HashSet<>();
        for (int i = 0; i < resource.getColumnsCount(); i++) {
            io.sluice.api.v1.ColumnHint column = resource.getColumns(i);
            String columnAt = at + ".columns[" + i + "]";
            if (column.getName().isEmpty()) {
                problems.add(Problem.invalid(columnAt + ".name", "required"));
            } else if (!declared.add(column.getName())) {
                problems.add(Problem.invalid(columnAt + ".name", "column '" + column.getName() + "' is declared twice"));
            }
            if ((column.getPrecision() != 0 || column.getScale() != 0) && column.getDataType() != DataType.DECIMAL) {
                problems.add(Problem.invalid(columnAt + ".precision", "precision and scale apply to DECIMAL columns only"));
            }
            if (column.getScale() < 0 || column.getPrecision() < 0 || column.getPrecision() > 38
                    || (column.getPrecision() > 0 && column.getScale() > column.getPrecision())) {
                problems.add(Problem.invalid(columnAt + ".scale", "need 0 <= scale <= precision <= 38"));
            }
        }
        if (resource.getDetectList().contains(io.sluice.api.v1.Resource.Detection.NO_DETECTION) && resource.getDetectCount() > 1) {
            problems.add(Problem.invalid(at + ".detect", "NO_DETECTION cannot be combined with other detections"));
        }
    }

    private void incremental(String at, Incremental incremental, WriteDisposition disposition) {
        if (disposition == WriteDisposition.REPLACE) {
            problems.add(Problem.invalid(at, "with write_disposition REPLACE each run would keep only its new items;"
                    + " use APPEND or MERGE"));
        }
        String cursorPath = incremental.getCursorPath();
        if (cursorPath.isEmpty()) {
            problems.add(Problem.invalid(at + ".cursor_path", "required, e.g. updated_at or meta.updated"));
        } else if (Arrays.stream(cursorPath.split("\\.", -1)).anyMatch(String::isBlank)) {
            problems.add(Problem.invalid(at + ".cursor_path", "'" + cursorPath
                    + "' must be item keys joined by dots, e.g. updated_at or meta.updated"));
        }
        Optional<CursorValue> initial = incremental.getInitialValue().isEmpty() ? Optional.empty()
                : Optional.of(CursorValue.parse(incremental.getInitialValue()));
        boolean downwards = incremental.getLastValueFunction() == Incremental.LastValueFunction.MIN;
        if (!incremental.getEndValue().isEmpty()) {
            CursorValue end = CursorValue.parse(incremental.getEndValue());
            if (initial.isEmpty()) {
                problems.add(Problem.invalid(at + ".end_value", "needs initial_value: a backfill window runs from one to the other"));
            } else if (!end.comparesWith(initial.get())) {
                problems.add(Problem.invalid(at + ".end_value", "'" + end + "' is " + end.kind() + " but initial_value '"
                        + initial.get() + "' is " + initial.get().kind() + ": they do not compare"));
            } else if (downwards ? end.compareTo(initial.get()) >= 0 : end.compareTo(initial.get()) <= 0) {
                problems.add(Problem.invalid(at + ".end_value", "'" + end + "' must be " + (downwards ? "below" : "above")
                        + " initial_value '" + initial.get() + "'" + (downwards ? " with last_value_function MIN" : "")));
            }
        }
        if (!incremental.getLag().isEmpty()) {
            try {
                Lag lag = Lag.parse(incremental.getLag());
                initial.ifPresent(value -> value.shifted(lag, -1));
            } catch (IllegalArgumentException e) {
                problems.add(Problem.invalid(at + ".lag", e.getMessage()));
            }
        }
    }

    private void keys(String field, List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).isBlank()) {
                problems.add(Problem.invalid(field + "[" + i + "]", "must name a field"));
            }
        }
    }

    private void destination(Destination destination, String pipelineName) {
        switch (destination.getKindCase()) {
            case DUCKDB -> {
                if (destination.getDuckdb().getPath().isEmpty()) {
                    problems.add(Problem.invalid("destination.duckdb.path", "required, e.g. demo.duckdb"));
                }
            }
            case POSTGRES -> postgres(destination.getPostgres());
            case KIND_NOT_SET -> problems.add(Problem.invalid("destination", "required: one of duckdb, postgres"));
        }
        if (!destination.getDataset().isEmpty() && !IDENTIFIER.matcher(destination.getDataset()).matches()) {
            problems.add(Problem.invalid("destination.dataset", "'" + destination.getDataset()
                    + "' must be lower-case letters, digits and underscores, not starting with a digit"));
        }
        String dataset = destination.getDataset().isEmpty() ? Naming.snakeCase(pipelineName) : destination.getDataset();
        if (destination.hasPostgres() && dataset.startsWith("pg_")) {
            problems.add(Problem.invalid("destination.dataset", "'" + dataset + "'" + (destination.getDataset().isEmpty()
                    ? " (the default, from the pipeline name)" : "") + ": PostgreSQL reserves schema names starting with pg_"));
        }
    }

    private void postgres(PostgresDestination postgres) {
        String path = "destination.postgres";
        if (postgres.getHost().isEmpty()) {
            problems.add(Problem.invalid(path + ".host", "required, e.g. db.internal"));
        }
        if (postgres.getDatabase().isEmpty()) {
            problems.add(Problem.invalid(path + ".database", "required, e.g. warehouse"));
        }
        if (postgres.getPort() < 0 || postgres.getPort() > 65_535) {
            problems.add(Problem.invalid(path + ".port", postgres.getPort() + " is not a TCP port (default 5432)"));
        }
        if (!postgres.getPasswordSecret().isEmpty() && !SECRET_NAME.matcher(postgres.getPasswordSecret()).matches()) {
            // Not echoed: what is there may be the password itself.
            problems.add(Problem.invalid(path + ".password_secret",
                    "must name a secret (letters, digits, '.', '_' and '-'), not hold the password"));
        }
    }

    /** Checks each field on its own, then how backoff and max_backoff fit together (the defaults included). */
    private void retries(io.sluice.api.v1.RetryPolicy retries) {
        String path = "retries";
        if (retries.getMaxAttempts() < 1 || retries.getMaxAttempts() > RetryPolicy.MOST_ATTEMPTS) {
            problems.add(Problem.invalid(path + ".max_attempts", (retries.getMaxAttempts() == 0 ? "required" : "got "
                    + retries.getMaxAttempts()) + ": attempts in all, the first included, from 1 to "
                    + RetryPolicy.MOST_ATTEMPTS));
        }
        Optional<Duration> backoff = retries.getBackoff().isEmpty() ? Optional.of(PipelineSpecs.DEFAULT_BACKOFF)
                : duration(path + ".backoff", retries.getBackoff());
        Optional<Duration> maxBackoff = retries.getMaxBackoff().isEmpty() ? Optional.empty()
                : duration(path + ".max_backoff", retries.getMaxBackoff());
        if (backoff.isPresent() && maxBackoff.isPresent() && maxBackoff.get().compareTo(backoff.get()) < 0) {
            problems.add(Problem.invalid(path + ".max_backoff", "'" + retries.getMaxBackoff() + "' is shorter than the backoff ("
                    + (retries.getBackoff().isEmpty() ? PipelineSpecs.DEFAULT_BACKOFF.toSeconds() + "s, the default" : "'"
                    + retries.getBackoff() + "'") + ")"));
        }
        if (!(retries.getJitter() >= 0 && retries.getJitter() <= 1)) {
            problems.add(Problem.invalid(path + ".jitter", retries.getJitter()
                    + " is not a fraction of the delay: from 0 (none) to 1 (anywhere from no wait to twice the delay)"));
        }
    }

    /** The duration, or empty when it is not one or not longer than zero (then a problem says so). */
    private Optional<Duration> duration(String field, String text) {
        try {
            Duration duration = Durations.parse(text);
            if (duration.isZero()) {
                problems.add(Problem.invalid(field, "must be longer than zero"));
                return Optional.empty();
            }
            return Optional.of(duration);
        } catch (IllegalArgumentException e) {
            problems.add(Problem.invalid(field, e.getMessage()));
            return Optional.empty();
        }
    }

    private void notFor(String field, boolean present, String sourceKind) {
        if (present) {
            problems.add(Problem.invalid(field, "applies only to " + sourceKind + " sources"));
        }
    }
}
