package io.sluice.pipeline;

import io.sluice.api.v1.Destination;
import io.sluice.api.v1.FilesystemSource;
import io.sluice.api.v1.Incremental;
import io.sluice.api.v1.Pipeline;
import io.sluice.api.v1.PostgresDestination;
import io.sluice.api.v1.Resource;
import io.sluice.api.v1.Scd2Options;
import io.sluice.schema.ColumnHint;
import io.sluice.schema.ContractMode;
import io.sluice.schema.DataType;
import io.sluice.schema.Detection;
import io.sluice.schema.MergeStrategy;
import io.sluice.schema.Naming;
import io.sluice.schema.ReplaceStrategy;
import io.sluice.schema.SchemaContract;
import io.sluice.schema.SortOrder;
import io.sluice.schema.TableHints;
import io.sluice.schema.WriteDisposition;
import java.util.EnumSet;
import java.util.Set;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Turns the {@link Pipeline} message into a validated {@link PipelineSpec}: the one door specs enter through. */
public final class PipelineSpecs {
    /** Delay before the second attempt when {@code retries.backoff} is not set. */
    static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(10);
    /** Longest delay between attempts when {@code retries.max_backoff} is not set (or backoff, when that is longer). */
    static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);

    private PipelineSpecs() {
    }

    /** Every problem of the spec; empty when it can run. */
    public static List<Problem> problems(Pipeline pipeline) {
        return SpecValidator.validate(pipeline);
    }

    /**
     * @param origin where the spec came from (a file name, or empty), for error messages
     * @throws InvalidSpecException listing every problem
     */
    public static PipelineSpec toSpec(Pipeline pipeline, String origin) {
        List<Problem> problems = problems(pipeline);
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(origin, problems);
        }
        Pipeline spec = withoutOutputFields(pipeline);
        String dataset = spec.getDestination().getDataset().isEmpty()
                ? Naming.snakeCase(spec.getName())
                : spec.getDestination().getDataset();
        return new PipelineSpec(
                spec.getName(),
                spec.getDescription(),
                source(spec),
                destination(spec.getDestination()),
                dataset,
                spec.getTimeout().isEmpty() ? Optional.empty() : Optional.of(Durations.parse(spec.getTimeout())),
                spec.hasRetries() ? retries(spec.getRetries()) : RetryPolicy.NONE,
                SpecReader.toJson(spec));
    }

    /** Reads, validates and maps a pipeline file. */
    public static PipelineSpec read(Path file) {
        return toSpec(SpecReader.read(file), file.toString());
    }

    /** Reads stored canonical JSON back; it was valid when stored. */
    public static PipelineSpec fromJson(String json) {
        return toSpec(SpecReader.parse(json, "stored spec"), "stored spec");
    }

    /** The spec without the fields the server owns (etag, times), as it is stored. */
    public static Pipeline withoutOutputFields(Pipeline pipeline) {
        return pipeline.toBuilder().clearEtag().clearCreateTime().clearUpdateTime().clearPendingPackages().clearDiscardedPackages()
                .build();
    }

    private static RetryPolicy retries(io.sluice.api.v1.RetryPolicy retries) {
        Duration backoff = retries.getBackoff().isEmpty() ? DEFAULT_BACKOFF : Durations.parse(retries.getBackoff());
        Duration maxBackoff = retries.getMaxBackoff().isEmpty()
                ? max(DEFAULT_MAX_BACKOFF, backoff)
                : Durations.parse(retries.getMaxBackoff());
        return new RetryPolicy(retries.getMaxAttempts(), backoff, maxBackoff, retries.getJitter());
    }

    private static Duration max(Duration one, Duration other) {
        return one.compareTo(other) >= 0 ? one : other;
    }

    private static DestinationSpec destination(Destination destination) {
        return switch (destination.getKindCase()) {
            case DUCKDB -> new DuckDbDestinationSpec(destination.getDuckdb().getPath());
            case POSTGRES -> {
                PostgresDestination postgres = destination.getPostgres();
                yield new PostgresDestinationSpec(
                        postgres.getHost(),
                        postgres.getPort() == 0 ? PostgresDestinationSpec.DEFAULT_PORT : postgres.getPort(),
                        postgres.getDatabase(),
                        postgres.getUsername().isEmpty() ? PostgresDestinationSpec.DEFAULT_USERNAME : postgres.getUsername(),
                        postgres.getPasswordSecret().isEmpty() ? Optional.empty() : Optional.of(postgres.getPasswordSecret()));
            }
            case KIND_NOT_SET -> throw new IllegalStateException("a validated spec has a destination");
        };
    }

    private static SourceSpec source(Pipeline pipeline) {
        FilesystemSource filesystem = pipeline.getSource().getFilesystem();
        String basePath = filesystem.getBasePath().isEmpty() ? "." : filesystem.getBasePath();
        return new FilesystemSourceSpec(Path.of(basePath), filesystem.getResourcesList().stream()
                .map(PipelineSpecs::fileResource)
                .toList());
    }

    private static FilesystemSourceSpec.FileResource fileResource(Resource resource) {
        Optional<FilesystemSourceSpec.Format> format = switch (resource.getFormat()) {
            case JSONL -> Optional.of(FilesystemSourceSpec.Format.JSONL);
            case CSV -> Optional.of(FilesystemSourceSpec.Format.CSV);
            case FILE_FORMAT_UNSPECIFIED, PARQUET, UNRECOGNIZED -> Optional.empty();
        };
        String delimiter = resource.getCsv().getDelimiter();
        return new FilesystemSourceSpec.FileResource(
                resource.getName(),
                Naming.snakeCase(resource.getTableName().isEmpty() ? resource.getName() : resource.getTableName()),
                resource.getGlob(),
                format,
                delimiter.isEmpty() ? ',' : delimiter.charAt(0),
                !resource.getCsv().hasHeader() || resource.getCsv().getHeader(),
                hints(resource),
                resource.hasIncremental() ? Optional.of(incremental(resource.getIncremental())) : Optional.empty());
    }

    private static IncrementalSpec incremental(Incremental incremental) {
        return new IncrementalSpec(
                List.of(incremental.getCursorPath().split("\\.")),
                optional(incremental.getInitialValue()).map(CursorValue::parse),
                optional(incremental.getEndValue()).map(CursorValue::parse),
                optional(incremental.getLag()).map(Lag::parse),
                incremental.getLastValueFunction() == Incremental.LastValueFunction.MIN
                        ? IncrementalSpec.LastValueFunction.MIN : IncrementalSpec.LastValueFunction.MAX,
                switch (incremental.getRowOrder()) {
                    case ASC -> Optional.of(IncrementalSpec.RowOrder.ASC);
                    case DESC -> Optional.of(IncrementalSpec.RowOrder.DESC);
                    case ROW_ORDER_UNSPECIFIED, UNRECOGNIZED -> Optional.empty();
                });
    }

    private static Optional<String> optional(String text) {
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static TableHints hints(Resource resource) {
        return new TableHints(
                switch (resource.getWriteDisposition()) {
                    case REPLACE -> WriteDisposition.REPLACE;
                    case MERGE -> WriteDisposition.MERGE;
                    case APPEND, WRITE_DISPOSITION_UNSPECIFIED, UNRECOGNIZED -> WriteDisposition.APPEND;
                },
                resource.getPrimaryKeyList(),
                resource.getMergeKeyList(),
                resource.getColumnsList().stream().map(PipelineSpecs::columnHint).toList(),
                resource.hasMaxNestingDepth() ? resource.getMaxNestingDepth() : TableHints.DEFAULT_NESTING_DEPTH,
                new SchemaContract(
                        mode(resource.getSchemaContract().getTables()),
                        mode(resource.getSchemaContract().getColumns()),
                        mode(resource.getSchemaContract().getDataType())),
                detections(resource.getDetectList()),
                switch (resource.getReplaceStrategy()) {
                    case INSERT_FROM_STAGING -> ReplaceStrategy.INSERT_FROM_STAGING;
                    case STAGING_OPTIMIZED -> ReplaceStrategy.STAGING_OPTIMIZED;
                    case TRUNCATE_AND_INSERT, REPLACE_STRATEGY_UNSPECIFIED, UNRECOGNIZED -> ReplaceStrategy.TRUNCATE_AND_INSERT;
                },
                mergeStrategy(resource));
    }

    private static MergeStrategy mergeStrategy(Resource resource) {
        return switch (resource.getMergeStrategy()) {
            case MERGE_STRATEGY_UNSPECIFIED, DELETE_INSERT, UNRECOGNIZED -> new MergeStrategy.DeleteInsert();
            case UPSERT -> new MergeStrategy.Upsert();
            case SCD2 -> {
                Scd2Options options = resource.getScd2();
                yield new MergeStrategy.Scd2(
                        options.getValidFromColumn().isEmpty() ? MergeStrategy.Scd2.VALID_FROM : options.getValidFromColumn(),
                        options.getValidToColumn().isEmpty() ? MergeStrategy.Scd2.VALID_TO : options.getValidToColumn(),
                        options.getRowVersionColumn().isEmpty() ? Optional.empty() : Optional.of(options.getRowVersionColumn()),
                        options.getActiveRecordTimestamp().isEmpty() ? Optional.empty()
                                : Optional.of(Timestamps.parse(options.getActiveRecordTimestamp())),
                        options.getBoundaryTimestamp().isEmpty() ? Optional.empty()
                                : Optional.of(Timestamps.parse(options.getBoundaryTimestamp())));
            }
        };
    }

    private static ColumnHint columnHint(io.sluice.api.v1.ColumnHint hint) {
        return new ColumnHint(
                hint.getName(),
                hint.getDataType() == io.sluice.api.v1.DataType.DATA_TYPE_UNSPECIFIED
                        ? Optional.empty() : Optional.of(DataType.valueOf(hint.getDataType().name())),
                hint.hasNullable() ? Optional.of(hint.getNullable()) : Optional.empty(),
                hint.getUnique(),
                hint.getPrecision(),
                hint.getScale(),
                hint.getPartition(),
                hint.getHardDelete(),
                switch (hint.getDedupSort()) {
                    case ASC -> Optional.of(SortOrder.ASCENDING);
                    case DESC -> Optional.of(SortOrder.DESCENDING);
                    case SORT_ORDER_UNSPECIFIED, UNRECOGNIZED -> Optional.empty();
                });
    }

    private static ContractMode mode(io.sluice.api.v1.ContractMode mode) {
        return switch (mode) {
            case CONTRACT_MODE_UNSPECIFIED, EVOLVE, UNRECOGNIZED -> ContractMode.EVOLVE;
            case FREEZE -> ContractMode.FREEZE;
            case DISCARD_ROW -> ContractMode.DISCARD_ROW;
            case DISCARD_VALUE -> ContractMode.DISCARD_VALUE;
        };
    }

    private static Set<Detection> detections(List<Resource.Detection> declared) {
        if (declared.isEmpty()) {
            return TableHints.DEFAULT.detections();
        }
        Set<Detection> detections = EnumSet.noneOf(Detection.class);
        for (Resource.Detection detection : declared) {
            switch (detection) {
                case ISO_TIMESTAMP -> detections.add(Detection.ISO_TIMESTAMP);
                case ISO_DATE -> detections.add(Detection.ISO_DATE);
                case ISO_TIME -> detections.add(Detection.ISO_TIME);
                case NO_DETECTION, DETECTION_UNSPECIFIED, UNRECOGNIZED -> {
                }
            }
        }
        return detections;
    }

}
