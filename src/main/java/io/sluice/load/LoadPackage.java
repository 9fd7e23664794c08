package io.sluice.load;

import static java.util.Objects.requireNonNull;

import io.sluice.pipeline.PipelineState;
import io.sluice.schema.Column;
import io.sluice.schema.MergeStrategy;
import io.sluice.schema.ReplaceStrategy;
import io.sluice.schema.Schema;
import io.sluice.schema.SortOrder;
import io.sluice.schema.TableFile;
import java.util.List;
import java.util.Optional;

/**
 * A sealed package as the load stage sees it: its jobs under one load id, and what its commit does. It names its jobs
 * rather than their files, so it never goes stale while the jobs move. The commit's parts are read through it, as the
 * destinations always have.
 */
public record LoadPackage(String pipeline, String dataset, String loadId, List<LoadPackages.LoadJob> jobs, CommitPlan commit) {
    public LoadPackage {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(loadId, "loadId is null");
        jobs = List.copyOf(jobs);
        requireNonNull(commit, "commit is null");
    }

    /** The jobs' files, in package order, each found in the folder of its job's state now. */
    public List<TableFile> files() {
        return jobs.stream().map(LoadPackages.LoadJob::file).toList();
    }

    public Optional<Schema> newSchema() {
        return commit.newSchema();
    }

    public List<ReplacedTable> replacedTables() {
        return commit.replacedTables();
    }

    public List<MergedTable> mergedTables() {
        return commit.mergedTables();
    }

    public List<String> droppedTables() {
        return commit.droppedTables();
    }

    public Optional<PipelineState> newState() {
        return commit.newState();
    }

    /** A table whose rows the load replaces, how, and its columns in the package's schema (to create it anew). */
    public record ReplacedTable(String table, ReplaceStrategy strategy, List<Column> columns) {
        public ReplacedTable {
            requireNonNull(table, "table is null");
            requireNonNull(strategy, "strategy is null");
            columns = List.copyOf(columns);
        }
    }

    /**
     * A table this load merges into by {@code strategy}, with the nested tables whose rows follow its rows.
     * {@code primaryKey} and {@code mergeKey} are its key columns (either may be empty where the strategy allows);
     * {@code dedupSort} says which of a key's rows in the load is kept, {@code hardDelete} which column marks rows
     * that delete their record. An SCD2 strategy here always has its boundary: it was fixed when the package was
     * sealed, so a commit tried again retires and adds versions at the same instant.
     */
    public record MergedTable(String table, List<String> nestedTables, MergeStrategy strategy, List<String> primaryKey,
                              List<String> mergeKey, Optional<DedupSort> dedupSort, Optional<String> hardDelete) {
        public MergedTable {
            requireNonNull(table, "table is null");
            nestedTables = List.copyOf(nestedTables);
            requireNonNull(strategy, "strategy is null");
            primaryKey = List.copyOf(primaryKey);
            mergeKey = List.copyOf(mergeKey);
            requireNonNull(dedupSort, "dedupSort is null");
            requireNonNull(hardDelete, "hardDelete is null");
            switch (strategy) {
                case MergeStrategy.DeleteInsert ignored -> {
                    if (primaryKey.isEmpty() && mergeKey.isEmpty()) {
                        throw new IllegalArgumentException("merged table " + table + " has neither a primary key nor a merge key");
                    }
                }
                case MergeStrategy.Upsert ignored -> {
                    if (primaryKey.isEmpty()) {
                        throw new IllegalArgumentException("upserted table " + table + " has no primary key");
                    }
                }
                case MergeStrategy.Scd2 scd2 -> {
                    if (scd2.boundary().isEmpty()) {
                        throw new IllegalArgumentException("SCD2 table " + table + " has no validity boundary");
                    }
                }
            }
            if (dedupSort.isPresent() && primaryKey.isEmpty()) {
                throw new IllegalArgumentException("merged table " + table + " sorts duplicates but has no primary key");
            }
        }
    }

    /** Of a load's rows with one primary key, the one with the lowest (ascending) or highest value of {@code column} is kept. */
    public record DedupSort(String column, SortOrder order) {
        public DedupSort {
            requireNonNull(column, "column is null");
            requireNonNull(order, "order is null");
        }
    }
}
