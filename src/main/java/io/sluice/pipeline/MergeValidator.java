package io.sluice.pipeline;

import io.sluice.api.v1.ColumnHint;
import io.sluice.api.v1.MergeStrategy;
import io.sluice.api.v1.Resource;
import io.sluice.api.v1.Scd2Options;
import io.sluice.api.v1.SortOrder;
import io.sluice.api.v1.WriteDisposition;
import io.sluice.schema.Naming;
import java.util.List;
import java.util.Optional;

/** The problems of a resource's merge settings: strategy, keys, hard_delete and dedup_sort columns, SCD2 options. */
final class MergeValidator {
    private final Resource resource;
    private final String at;
    private final List<Problem> problems;
    private final boolean merging;

    private MergeValidator(Resource resource, String at, List<Problem> problems) {
        this.resource = resource;
        this.at = at;
        this.problems = problems;
        this.merging = resource.getWriteDisposition() == WriteDisposition.MERGE;
    }

    /** Adds the problems of {@code resource}, found at path {@code at}, to {@code problems}. */
    static void validate(Resource resource, String at, List<Problem> problems) {
        MergeValidator validator = new MergeValidator(resource, at, problems);
        validator.strategy();
        validator.columns();
        validator.scd2();
    }

    private void strategy() {
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
                } else if (resource.getMergeStrategy() == MergeStrategy.SCD2 && resource.getPrimaryKeyCount() == 0
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

    private void scd2() {
        if (!resource.hasScd2()) {
            return;
        }
        if (!merging || resource.getMergeStrategy() != MergeStrategy.SCD2) {
            invalid(".scd2", "applies only with write_disposition MERGE and merge_strategy SCD2");
            return;
        }
        Scd2Options options = resource.getScd2();
        column(".scd2.valid_from_column", options.getValidFromColumn());
        column(".scd2.valid_to_column", options.getValidToColumn());
        column(".scd2.row_version_column", options.getRowVersionColumn());
        String validFrom = options.getValidFromColumn().isEmpty() ? io.sluice.schema.MergeStrategy.Scd2.VALID_FROM : options.getValidFromColumn();
        String validTo = options.getValidToColumn().isEmpty() ? io.sluice.schema.MergeStrategy.Scd2.VALID_TO : options.getValidToColumn();
        if (validFrom.equals(validTo)) {
            invalid(".scd2.valid_to_column", "must differ from valid_from_column ('" + validFrom + "')");
        }
        timestamp(".scd2.active_record_timestamp", options.getActiveRecordTimestamp());
        timestamp(".scd2.boundary_timestamp", options.getBoundaryTimestamp());
    }

    /** Names Sluice uses as they are: a column name the naming convention would change is refused, not silently renamed. */
    private void column(String field, String name) {
        if (!name.isEmpty() && !SpecValidator.IDENTIFIER.matcher(name).matches()) {
            invalid(field, "'" + name + "' is not a column name: use lower-case letters, digits and underscores (e.g. "
                    + Naming.snakeCase(name) + ")");
        }
    }

    private void timestamp(String field, String text) {
        if (text.isEmpty()) {
            return;
        }
        try {
            Timestamps.parse(text);
        } catch (IllegalArgumentException e) {
            invalid(field, e.getMessage());
        }
    }

    private void invalid(String field, String description) {
        problems.add(Problem.invalid(at + field, description));
    }
}
