package io.sluice.pipeline;

import io.sluice.proto.v1.Concurrency;
import io.sluice.proto.v1.Destination;
import io.sluice.proto.v1.FilesystemSource;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.PostgresDestination;
import io.sluice.proto.v1.Source;
import io.sluice.schema.Naming;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the {@link Pipeline} message into a {@link PipelineSpec} in one walk: each field is checked where it is read,
 * every problem is collected with its field path, and the records are built from the values checked, so each rule
 * of the spec is written once.
 *
 * <p>A field whose value is refused comes back empty, and a problem says so; as a part is built only when no problem
 * was found in it ({@link SpecProblems#buildIfClean}), an empty never stands in for a refused value.
 */
final class PipelineSpecMapper {
    private static final Pattern PIPELINE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    /** Names Sluice uses as written: datasets, and the columns SCD2 adds; how long they may be is the destination's say. */
    static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    /** Named limits are sized in the service's config, so their names are config keys too. */
    private static final Pattern LIMIT_NAME = PIPELINE_NAME;
    private static final int MAX_ACTIVE_RUNS = 1000;

    private final SpecProblems problems = new SpecProblems();
    private final DestinationChecks checks;

    /** @param capabilities what the spec's destination can do; empty when it names none */
    private PipelineSpecMapper(Optional<DestinationCapabilities> capabilities) {
        this.checks = new DestinationChecks(capabilities, problems);
    }

    /** What the spec's destination can do, for the mappers of each source kind's resources. */
    DestinationChecks checks() {
        return checks;
    }

    /**
     * @param origin where the spec came from (a file name, or empty), for error messages
     * @throws InvalidSpecException listing every problem
     */
    static PipelineSpec toSpec(Pipeline pipeline, String origin) {
        PipelineSpecMapper mapper = new PipelineSpecMapper(DestinationChecks.of(pipeline.getDestination()));
        Optional<PipelineSpec> spec = mapper.pipeline(pipeline);
        if (!mapper.problems.isEmpty()) {
            throw new InvalidSpecException(origin, mapper.problems.list());
        }
        return spec.orElseThrow();
    }

    /** Every problem of the spec; empty when it can run. */
    static List<Problem> problems(Pipeline pipeline) {
        return problems(pipeline, DestinationChecks.of(pipeline.getDestination()));
    }

    /** Every problem of the spec were its destination able to do what {@code capabilities} say (and only that). */
    static List<Problem> problems(Pipeline pipeline, Optional<DestinationCapabilities> capabilities) {
        PipelineSpecMapper mapper = new PipelineSpecMapper(capabilities);
        mapper.pipeline(pipeline);
        return mapper.problems.list();
    }

    private Optional<PipelineSpec> pipeline(Pipeline pipeline) {
        int mark = problems.mark();
        if (pipeline.getName().isEmpty()) {
            problems.invalid("name", "required");
        } else if (!PIPELINE_NAME.matcher(pipeline.getName()).matches()) {
            problems.invalid("name", "'" + pipeline.getName()
                    + "' must be lower-case letters, digits and dashes, start with a letter, at most 63 characters");
        }
        Optional<SourceSpec> source = source(pipeline.getSource());
        Optional<DestinationSpec> destination = destination(pipeline.getDestination());
        Optional<String> dataset = dataset(pipeline.getDestination(), pipeline.getName());
        Optional<Duration> timeout = pipeline.getTimeout().isEmpty() ? Optional.empty() : duration("timeout", pipeline.getTimeout());
        Optional<List<ScheduleSpec>> schedules = new ScheduleMapper(this, problems).map(pipeline);
        Optional<RetryPolicy> retries = pipeline.hasRetries() ? retries("retries", pipeline.getRetries()) : Optional.of(RetryPolicy.NONE);
        Optional<ConcurrencySpec> concurrency = pipeline.hasConcurrency() ? concurrency(pipeline.getConcurrency())
                : Optional.of(ConcurrencySpec.TAKE_TURNS);
        Optional<List<AlertSpec>> alerts = new AlertMapper(problems).map(pipeline.getAlertsList());
        Optional<List<TransformSpec>> transforms = new TransformMapper(problems).map(pipeline.getTransformsList(), source);
        labels(pipeline.getLabelsMap());
        Pipeline stored = PipelineSpecs.withoutOutputFields(pipeline);
        return problems.buildIfClean(mark, () -> new PipelineSpec(pipeline.getName(), pipeline.getDescription(),
                source.orElseThrow(), destination.orElseThrow(), dataset.orElseThrow(), timeout, retries.orElseThrow(),
                concurrency.orElseThrow(), pipeline.getLabelsMap(), schedules.orElseThrow(), pipeline.getSchedulesPaused(),
                SpecReader.toJson(stored), transforms.orElseThrow(), alerts.orElseThrow()));
    }

    private Optional<ConcurrencySpec> concurrency(Concurrency concurrency) {
        int mark = problems.mark();
        int maxActiveRuns = concurrency.getMaxActiveRuns() == 0 ? 1 : concurrency.getMaxActiveRuns();
        if (maxActiveRuns < 1 || maxActiveRuns > MAX_ACTIVE_RUNS) {
            problems.invalid("concurrency.max_active_runs", "must be 1 to " + MAX_ACTIVE_RUNS + ", not " + maxActiveRuns);
        }
        Optional<ConcurrencySpec.OnOverlap> onOverlap = switch (concurrency.getOnOverlap()) {
            case OVERLAP_POLICY_UNSPECIFIED, QUEUE -> Optional.of(ConcurrencySpec.OnOverlap.QUEUE);
            case SKIP -> Optional.of(ConcurrencySpec.OnOverlap.SKIP);
            case CANCEL_RUNNING -> Optional.of(ConcurrencySpec.OnOverlap.CANCEL_RUNNING);
            case UNRECOGNIZED -> {
                problems.invalid("concurrency.on_overlap", "must be QUEUE, SKIP or CANCEL_RUNNING");
                yield Optional.empty();
            }
        };
        List<String> limits = concurrency.getLimitsList();
        for (int i = 0; i < limits.size(); i++) {
            String limit = limits.get(i);
            if (!LIMIT_NAME.matcher(limit).matches()) {
                problems.invalid("concurrency.limits[" + i + "]", "'" + limit
                        + "' must be lower-case letters, digits and dashes, start with a letter, at most 63 characters");
            } else if (limits.indexOf(limit) < i) {
                problems.invalid("concurrency.limits[" + i + "]", "'" + limit + "' is named twice");
            }
        }
        return problems.buildIfClean(mark, () -> new ConcurrencySpec(maxActiveRuns, onOverlap.orElseThrow(), limits));
    }

    private void labels(Map<String, String> labels) {
        labels.forEach((key, value) -> {
            String problem = Labels.problem(key, value);
            if (!problem.isEmpty()) {
                problems.invalid("labels[" + key + "]", problem);
            }
        });
    }

    private Optional<SourceSpec> source(Source source) {
        return switch (source.getKindCase()) {
            case FILESYSTEM -> filesystem(source.getFilesystem());
            case REST_API -> new RestApiMapper(this, problems).map(source.getRestApi(), "source.rest_api");
            case SQL_DATABASE -> SqlDatabaseMapper.map(source.getSqlDatabase(), problems, checks);
            case KIND_NOT_SET -> {
                problems.invalid("source", "required: one of filesystem, rest_api, sql_database");
                yield Optional.empty();
            }
        };
    }

    private Optional<SourceSpec> filesystem(FilesystemSource filesystem) {
        int mark = problems.mark();
        String path = "source.filesystem";
        if (filesystem.getResourcesCount() == 0) {
            problems.invalid(path + ".resources", "at least one resource is required");
        }
        Map<String, String> tables = new HashMap<>();
        List<Optional<FilesystemSourceSpec.FileResource>> resources = new ArrayList<>();
        for (int i = 0; i < filesystem.getResourcesCount(); i++) {
            resources.add(FileResourceMapper.map(filesystem.getResources(i), path + ".resources[" + i + "]", tables, problems, checks));
        }
        String basePath = filesystem.getBasePath().isEmpty() ? "." : filesystem.getBasePath();
        return problems.buildIfClean(mark, () -> new FilesystemSourceSpec(Path.of(basePath),
                resources.stream().map(Optional::orElseThrow).toList()));
    }

    private Optional<DestinationSpec> destination(Destination destination) {
        return switch (destination.getKindCase()) {
            case DUCKDB -> {
                String path = destination.getDuckdb().getPath();
                if (path.isEmpty()) {
                    problems.invalid("destination.duckdb.path", "required, e.g. demo.duckdb");
                    yield Optional.empty();
                }
                yield Optional.of(new DuckDbDestinationSpec(path));
            }
            case POSTGRES -> postgres(destination.getPostgres());
            case KIND_NOT_SET -> {
                problems.invalid("destination", "required: one of duckdb, postgres");
                yield Optional.empty();
            }
        };
    }

    private Optional<DestinationSpec> postgres(PostgresDestination postgres) {
        int mark = problems.mark();
        String path = "destination.postgres";
        if (postgres.getHost().isEmpty()) {
            problems.invalid(path + ".host", "required, e.g. db.internal");
        } else if (postgres.getHost().contains("@")) {
            // Not echoed: what is before the @ may be a password.
            problems.invalid(path + ".host", "must be a host name or address, without a user or password: give username, and the"
                    + " password's secret in password_secret");
        }
        if (postgres.getDatabase().isEmpty()) {
            problems.invalid(path + ".database", "required, e.g. warehouse");
        } else {
            LiteralCredentials.inUrl("?" + postgres.getDatabase()).ifPresent(found -> problems.invalid(path + ".database",
                    "must be a database name, not carry " + found + ": name the password's secret in password_secret"));
        }
        if (postgres.getPort() != 0 && !PostgresDestinationSpec.isPort(postgres.getPort())) {
            problems.invalid(path + ".port", postgres.getPort() + " is not a TCP port (default " + PostgresDestinationSpec.DEFAULT_PORT + ")");
        }
        SecretReference.check(path + ".password_secret", postgres.getPasswordSecret(), false, problems);
        return problems.buildIfClean(mark, () -> new PostgresDestinationSpec(
                postgres.getHost(),
                postgres.getPort() == 0 ? PostgresDestinationSpec.DEFAULT_PORT : postgres.getPort(),
                postgres.getDatabase(),
                postgres.getUsername().isEmpty() ? PostgresDestinationSpec.DEFAULT_USERNAME : postgres.getUsername(),
                optional(postgres.getPasswordSecret())));
    }

    /** The schema the pipeline loads into: {@code destination.dataset}, or else the pipeline's name in snake case. */
    private Optional<String> dataset(Destination destination, String pipelineName) {
        int mark = problems.mark();
        String declared = destination.getDataset();
        String dataset = declared.isEmpty() ? Naming.snakeCase(pipelineName) : declared;
        String shown = "'" + dataset + "'" + (declared.isEmpty() ? " (the default, from the pipeline name)" : "");
        if (!declared.isEmpty() && !IDENTIFIER.matcher(declared).matches()) {
            problems.invalid("destination.dataset", "'" + declared
                    + "' must be lower-case letters, digits and underscores, not starting with a digit");
        } else if (!declared.isEmpty() || PIPELINE_NAME.matcher(pipelineName).matches()) {
            // A default made from a name refused already is not refused twice.
            checks.identifierLength("destination.dataset", dataset, shown);
        }
        checks.schemaName("destination.dataset", dataset, shown);
        return problems.buildIfClean(mark, () -> dataset);
    }

    /** Checks each field on its own, then how backoff and max_backoff fit together (the defaults included). */
    Optional<RetryPolicy> retries(String path, io.sluice.proto.v1.RetryPolicy retries) {
        int mark = problems.mark();
        if (!RetryPolicy.allowsAttempts(retries.getMaxAttempts())) {
            problems.invalid(path + ".max_attempts", (retries.getMaxAttempts() == 0 ? "required" : "got "
                    + retries.getMaxAttempts()) + ": attempts in all, the first included, from 1 to " + RetryPolicy.MOST_ATTEMPTS);
        }
        Optional<Duration> backoff = retries.getBackoff().isEmpty() ? Optional.of(RetryPolicy.DEFAULT_BACKOFF)
                : duration(path + ".backoff", retries.getBackoff());
        Optional<Duration> maxBackoff = retries.getMaxBackoff().isEmpty() ? backoff.map(RetryPolicy::defaultMaxBackoff)
                : duration(path + ".max_backoff", retries.getMaxBackoff());
        if (!retries.getMaxBackoff().isEmpty() && backoff.isPresent() && maxBackoff.isPresent()
                && maxBackoff.get().compareTo(backoff.get()) < 0) {
            problems.invalid(path + ".max_backoff", "'" + retries.getMaxBackoff() + "' is shorter than the backoff ("
                    + (retries.getBackoff().isEmpty() ? RetryPolicy.DEFAULT_BACKOFF.toSeconds() + "s, the default"
                    : "'" + retries.getBackoff() + "'") + ")");
        }
        if (!RetryPolicy.allowsJitter(retries.getJitter())) {
            problems.invalid(path + ".jitter", retries.getJitter()
                    + " is not a fraction of the delay: from 0 (none) to 1 (anywhere from no wait to twice the delay)");
        }
        return problems.buildIfClean(mark, () -> new RetryPolicy(retries.getMaxAttempts(), backoff.orElseThrow(),
                maxBackoff.orElseThrow(), retries.getJitter()));
    }

    /** The duration, or empty when it is not one or not longer than zero (then a problem says so). */
    Optional<Duration> duration(String field, String text) {
        try {
            Duration duration = Durations.parse(text);
            if (duration.isZero()) {
                problems.invalid(field, "must be longer than zero");
                return Optional.empty();
            }
            return Optional.of(duration);
        } catch (IllegalArgumentException e) {
            problems.invalid(field, e.getMessage());
            return Optional.empty();
        }
    }

    static Optional<String> optional(String text) {
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }
}
