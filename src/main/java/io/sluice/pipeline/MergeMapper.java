package io.sluice.pipeline;

import io.sluice.proto.v1.ColumnHint;
import io.sluice.proto.v1.Resource;
import io.sluice.proto.v1.Scd2Options;
import io.sluice.proto.v1.SortOrder;
import io.sluice.proto.v1.WriteDisposition;
import io.sluice.schema.MergeStrategy;
import io.sluice.schema.Naming;
import java.time.Instant;
import java.util.Optional;

/** Maps a resource's merge settings to its {@link MergeStrategy}, checking strategy, keys, hard_delete and dedup_sort columns, SCD2 options. */
final class MergeMapper {
    private final Resource resource;
    private final String at;
    private final SpecProblems problems;
    private final DestinationChecks checks;
    private final boolean merging;

    private MergeMapper(Resource resource, String at, SpecProblems problems, DestinationChecks checks) {
        this.resource = resource;
        this.at = at;
        this.problems = problems;
        this.checks = checks;
        this.merging = resource.getWriteDisposition() == WriteDisposition.MERGE;
    }

    /** The merge strategy of {@code resource}, found at path {@code at}; empty when it has problems (they are added). */
    static Optional<MergeStrategy> map(Resource resource, String at, SpecProblems problems, DestinationChecks checks) {
        MergeMapper mapper = new MergeMapper(resource, at, problems, checks);
        int mark = problems.mark();
        mapper.keys();
        mapper.columns();
        Optional<MergeStrategy> strategy = mapper.strategy();
        if (mapper.merging) {
            strategy.ifPresent(value -> checks.mergeStrategy(at + ".merge_strategy", value));
        }
        return problems.buildIfClean(mark, strategy::orElseThrow);
    }

    private void keys() {
        if (resource.getMergeStrategyValue() != 0 && !merging) {
            invalid(".merge_strategy", "applies only with write_disposition MERGE");
        }
        if (!merging) {
            return;
        }
        boolean primaryKey = resource.getPrimaryKeyCount() > 0;
        switch (resource.getMergeStrategy()) {
            case MERGE_STRATEGY_UNSPECIFIED, DELETE_INSERT -> {
                if (!primaryKey && resource.getMergeKeyCount() == 0) {
                    invalid(".primary_key", "required with write_disposition MERGE, unless a merge_key says which stored rows a load replaces");
                }
            }
            case UPSERT -> {
                if (!primaryKey) {
                    invalid(".primary_key", "required with merge_strategy UPSERT: rows are updated by primary key");
                }
                if (resource.getMergeKeyCount() > 0) {
                    invalid(".merge_key", "merge_strategy UPSERT matches rows by primary_key only");
                }
            }
            case SCD2, UNRECOGNIZED -> {
                // SCD2 finds records by either key or by none; an unknown strategy is refused by strategy().
            }
        }
    }

    private void columns() {
        Optional<String> hardDelete = Optional.empty();
        Optional<String> dedupSort = Optional.empty();
        for (int i = 0; i < resource.getColumnsCount(); i++) {
            ColumnHint column = resource.getColumns(i);
            String columnAt = ".columns[" + i + "]";
            if (column.getHardDelete()) {
                if (!merging) {
                    invalid(columnAt + ".hard_delete", "applies only with write_disposition MERGE");
                } else if (hardDelete.isPresent()) {
                    invalid(columnAt + ".hard_delete", "'" + hardDelete.get() + "' is the hard_delete column already; a table has one");
                } else if (resource.getMergeStrategy() == io.sluice.proto.v1.MergeStrategy.SCD2 && resource.getPrimaryKeyCount() == 0
                        && resource.getMergeKeyCount() == 0) {
                    invalid(columnAt + ".hard_delete", "with merge_strategy SCD2 needs a primary_key or merge_key to find the record it retires");
                }
                hardDelete = hardDelete.or(() -> Optional.of(column.getName()));
            }
            if (column.getDedupSort() != SortOrder.SORT_ORDER_UNSPECIFIED) {
                if (!merging) {
                    invalid(columnAt + ".dedup_sort", "applies only with write_disposition MERGE");
                } else if (resource.getPrimaryKeyCount() == 0) {
                    invalid(columnAt + ".dedup_sort", "needs a primary_key: a load's rows are de-duplicated per primary key");
                } else if (dedupSort.isPresent()) {
                    invalid(columnAt + ".dedup_sort", "'" + dedupSort.get() + "' is the dedup_sort column already; a table has one");
                }
                dedupSort = dedupSort.or(() -> Optional.of(column.getName()));
            }
        }
    }

    private Optional<MergeStrategy> strategy() {
        if (resource.hasScd2() && (!merging || resource.getMergeStrategy() != io.sluice.proto.v1.MergeStrategy.SCD2)) {
            invalid(".scd2", "applies only with write_disposition MERGE and merge_strategy SCD2");
            return Optional.empty();
        }
        return switch (resource.getMergeStrategy()) {
            case MERGE_STRATEGY_UNSPECIFIED, DELETE_INSERT -> Optional.of(new MergeStrategy.DeleteInsert());
            case UPSERT -> Optional.of(new MergeStrategy.Upsert());
            case SCD2 -> scd2(resource.getScd2());
            case UNRECOGNIZED -> problems.unrecognized(at + ".merge_strategy", resource.getMergeStrategyValue(),
                    io.sluice.proto.v1.MergeStrategy.getDescriptor());
        };
    }

    private Optional<MergeStrategy> scd2(Scd2Options options) {
        int mark = problems.mark();
        column(".scd2.valid_from_column", options.getValidFromColumn());
        column(".scd2.valid_to_column", options.getValidToColumn());
        column(".scd2.row_version_column", options.getRowVersionColumn());
        String validFrom = options.getValidFromColumn().isEmpty() ? MergeStrategy.Scd2.VALID_FROM : options.getValidFromColumn();
        String validTo = options.getValidToColumn().isEmpty() ? MergeStrategy.Scd2.VALID_TO : options.getValidToColumn();
        if (validFrom.equals(validTo)) {
            invalid(".scd2.valid_to_column", "must differ from valid_from_column ('" + validFrom + "')");
        }
        Optional<Instant> activeValidTo = timestamp(".scd2.active_record_timestamp", options.getActiveRecordTimestamp());
        Optional<Instant> boundary = timestamp(".scd2.boundary_timestamp", options.getBoundaryTimestamp());
        return problems.buildIfClean(mark, () -> new MergeStrategy.Scd2(validFrom, validTo,
                PipelineSpecMapper.optional(options.getRowVersionColumn()), activeValidTo, boundary));
    }

    /** Names Sluice uses as they are: a column name the naming convention would change is refused, not silently renamed. */
    private void column(String field, String name) {
        if (!name.isEmpty() && !PipelineSpecMapper.IDENTIFIER.matcher(name).matches()) {
            invalid(field, "'" + name + "' is not a column name: use lower-case letters, digits and underscores (e.g. "
                    + Naming.snakeCase(name) + ")");
        } else if (!name.isEmpty()) {
            checks.identifierLength(at + field, name, "'" + name + "'");
        }
    }

    /** The instant; empty when unset, or when it is not a timestamp (then a problem says so). */
    private Optional<Instant> timestamp(String field, String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Timestamps.parse(text));
        } catch (IllegalArgumentException e) {
            invalid(field, e.getMessage());
            return Optional.empty();
        }
    }

    private void invalid(String field, String description) {
        problems.invalid(at + field, description);
    }
}
