package io.sluice.load;

import io.sluice.pipeline.DestinationCapabilities;
import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import io.sluice.schema.ReplaceStrategy;
import io.sluice.schema.Schema;
import io.sluice.schema.SchemaMerge;
import io.sluice.schema.TableFile;
import io.sluice.schema.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The commit of one load package into a SQL destination: one transaction that drops the tables the package drops,
 * empties those it replaces, moves the rows every job staged into their tables, applies the merges, stores the schema
 * version and the pipeline state and records the load — either all of the package is committed, or none of it.
 */
final class PackageCommit {
    private final SqlDestination destination;
    private final Connection connection;
    private final LoadPackage loadPackage;
    private final LoadListener listener;

    PackageCommit(SqlDestination destination, Connection connection, LoadPackage loadPackage, LoadListener listener) {
        this.destination = destination;
        this.connection = connection;
        this.loadPackage = loadPackage;
        this.listener = listener;
    }

    void commit() throws SQLException {
        String catalog = SqlConnections.currentCatalog(connection);
        String dataset = loadPackage.dataset();
        SqlConnections connections = destination.connections();
        try {
            transaction(connections, catalog, dataset);
        } catch (SQLException | RuntimeException e) {
            destination.afterFailedCommit(loadPackage, e);
            throw e;
        }
    }

    private void transaction(SqlConnections connections, String catalog, String dataset) throws SQLException {
        connections.inTransaction(connection, statement -> {
            destination.beforeTables(statement, catalog, dataset);
            // After the wait for the dataset's lock: until the commit has begun, a run that is asked to stop is cut.
            listener.commitStarted(loadPackage);
            destination.tables().createSchema(statement, catalog, dataset);
            BookkeepingTables bookkeeping = new BookkeepingTables(destination, catalog, dataset);
            bookkeeping.create(statement);
            // Read under the dataset's lock: a load of the pipeline committed since this package was sealed is in it.
            Schema stored = bookkeeping.latestSchema(connection, loadPackage.pipeline());
            Schema committing = committedSchema(stored);
            CommitTables tables = new CommitTables(destination, statement, catalog, dataset, loadPackage.loadId());
            for (String dropped : loadPackage.droppedTables()) {
                tables.execute("DROP TABLE IF EXISTS " + tables.name(dropped));
            }
            for (LoadPackage.ReplacedTable replaced : replacedTables(committing)) {
                if (tables.exists(replaced.table())) {
                    destination.tables().replace(statement, tables.name(replaced.table()), replaced);
                }
            }
            Set<String> mergedFirst = mergeFirst(tables);
            Map<String, String> apart = new HashMap<>();
            long rows = insertJobs(statement, catalog, dataset, tables, apart);
            for (LoadPackage.MergedTable merged : loadPackage.mergedTables()) {
                if (tables.exists(merged.table())) {
                    MergeRows mergeRows = new MergeRows(tables, merged, files(merged), apart(statement, tables, apart, merged));
                    if (!mergedFirst.contains(merged.table())) {
                        TableMerge.of(merged.strategy()).apply(mergeRows);
                    }
                    mergeRows.keepIncoming();
                }
            }
            if (committing.version() != stored.version()) {
                bookkeeping.storeVersion(connection, committing, loadPackage.loadId());
            }
            if (loadPackage.newState().isPresent()) {
                bookkeeping.state().write(connection, loadPackage.pipeline(), loadPackage.loadId(), loadPackage.newState().get());
            }
            bookkeeping.recordLoad(connection, loadPackage.loadId(), loadPackage.pipeline(), rows);
            listener.committing(loadPackage, rows);
        });
    }

    /**
     * Applies, before this load's rows go in, each merge into a stored table that reads nothing of them but what their
     * files show ({@link TableMerge#readsIncomingRows}), and names their tables: its deletes then read only the stored
     * rows, and the rows go straight into the table. At a million stored and a million merging rows into PostgreSQL, the
     * delete took 0.4 s before the rows went in against 0.65 s after.
     */
    private Set<String> mergeFirst(CommitTables tables) throws SQLException {
        Set<String> merged = new HashSet<>();
        for (LoadPackage.MergedTable table : loadPackage.mergedTables()) {
            if (tables.exists(table.table())) {
                MergeRows rows = new MergeRows(tables, table, files(table), Optional.empty());
                TableMerge merge = TableMerge.of(table.strategy());
                if (!merge.readsIncomingRows(rows)) {
                    merge.apply(rows);
                    merged.add(table.table());
                }
            }
        }
        return merged;
    }

    /**
     * Moves the rows of every job into its table, table by table, creating or widening each table for the columns
     * of its last staged file first; returns how many rows moved. The rows of a table the load merges into go into a
     * table apart first where the destination merges them apart and the merge reads them ({@link #apart}), which
     * {@code apart} then names by table, and the merge moves them on. A destination that loads its jobs here tells of
     * each as it starts and completes.
     */
    private long insertJobs(Statement statement, String catalog, String dataset, CommitTables tables, Map<String, String> apart)
            throws SQLException {
        Map<String, LoadPackage.MergedTable> mergedRoots = loadPackage.mergedTables().stream()
                .collect(Collectors.toMap(LoadPackage.MergedTable::table, merged -> merged));
        Map<String, List<Integer>> jobsByTable = new LinkedHashMap<>();
        for (int index = 0; index < loadPackage.files().size(); index++) {
            jobsByTable.computeIfAbsent(loadPackage.files().get(index).table(), table -> new ArrayList<>()).add(index);
        }
        boolean inCommit = destination.capabilities().staging() == DestinationCapabilities.Staging.IN_COMMIT;
        long rows = 0;
        for (Map.Entry<String, List<Integer>> table : jobsByTable.entrySet()) {
            List<Column> columns = loadPackage.files().get(table.getValue().getLast()).columns();
            Map<String, DataType> target = destination.tables().prepare(connection, statement, catalog, dataset, table.getKey(), columns);
            LoadPackage.MergedTable merged = mergedRoots.get(table.getKey());
            Optional<String> apartTable = merged != null ? apart(statement, tables, apart, merged) : Optional.empty();
            String into = apartTable.orElse(tables.name(table.getKey()));
            destination.insertJobs(statement, loadPackage, table.getValue(), into, target, progress(inCommit));
            for (int index : table.getValue()) {
                rows += loadPackage.files().get(index).rows();
            }
        }
        return rows;
    }

    /** Tells the listener of each job the commit moves; of its start and end only when the destination loads it here. */
    private SqlDestination.JobProgress progress(boolean inCommit) {
        return new SqlDestination.JobProgress() {
            @Override
            public void started(int index) {
                if (inCommit) {
                    listener.jobStarted(loadPackage, loadPackage.jobs().get(index));
                }
            }

            @Override
            public void completed(int index) {
                if (inCommit) {
                    listener.jobCompleted(loadPackage, loadPackage.jobs().get(index));
                }
                TableFile tableFile = loadPackage.files().get(index);
                listener.fileLoaded(tableFile.table(), tableFile.rows(), SqlDestination.stagedBytes(tableFile));
            }
        };
    }

    /**
     * The schema the commit stores: the package's schema merged onto the one stored now, numbered one on from it when
     * that changes anything. Numbered here, under the dataset's lock, and never when the package was sealed: two
     * packages sealed against one stored version both commit, one after the other, each as a version of its own.
     */
    private Schema committedSchema(Schema stored) {
        if (loadPackage.newSchema().isEmpty()) {
            return stored;
        }
        List<TableSchema> merged = SchemaMerge.merge(stored.tables(), loadPackage.newSchema().get().tables(), loadPackage.droppedTables());
        return merged.equals(stored.tables()) ? stored : new Schema(loadPackage.pipeline(), stored.version() + 1, merged);
    }

    /**
     * The tables the commit empties: those the package names, with their columns as the committed schema has them (a
     * table re-created by a staging-optimized replace keeps the columns other loads added), and every other table of
     * their resources that the committed schema has, emptied the same way — a nested table that a load committed
     * since this package was sealed created is replaced too, as it would be had the loads run one after the other.
     */
    private List<LoadPackage.ReplacedTable> replacedTables(Schema committing) {
        Map<String, LoadPackage.ReplacedTable> replaced = new LinkedHashMap<>();
        Map<String, ReplaceStrategy> byResource = new LinkedHashMap<>();
        for (LoadPackage.ReplacedTable table : loadPackage.replacedTables()) {
            Optional<TableSchema> committed = committing.table(table.table());
            replaced.put(table.table(), new LoadPackage.ReplacedTable(table.table(), table.strategy(),
                    committed.map(TableSchema::columns).orElse(table.columns())));
            committed.ifPresent(schema -> byResource.putIfAbsent(schema.resource(), table.strategy()));
        }
        for (TableSchema table : committing.tables()) {
            ReplaceStrategy strategy = byResource.get(table.resource());
            if (strategy != null) {
                replaced.putIfAbsent(table.name(), new LoadPackage.ReplacedTable(table.name(), strategy, table.columns()));
            }
        }
        return List.copyOf(replaced.values());
    }

    /**
     * The table that holds the rows this load merges into {@code merged}'s root table apart from its stored rows, created
     * the first time it is asked for (empty of rows when the load brought none for the table); empty when the destination
     * merges them in the table, or when the merge reads nothing of them but what their files show, which needs no rows
     * apart to read: at a million rows into PostgreSQL, moving them from apart into the table was 0.9 s of a 2.1 s load
     * (bench/RESULTS-perf.md, fifteenth session).
     */
    private Optional<String> apart(Statement statement, CommitTables tables, Map<String, String> apart, LoadPackage.MergedTable merged)
            throws SQLException {
        String table = merged.table();
        if (apart.containsKey(table)) {
            return Optional.of(apart.get(table));
        }
        if (!TableMerge.of(merged.strategy()).readsIncomingRows(new MergeRows(tables, merged, files(merged), Optional.empty()))) {
            return Optional.empty();
        }
        Optional<String> name = destination.apartTable(statement, loadPackage, table, tables.name(table), apart.size());
        name.ifPresent(created -> apart.put(table, created));
        return name;
    }

    /** The staged files of this load's rows of {@code merged}'s root table. */
    private List<TableFile> files(LoadPackage.MergedTable merged) {
        return loadPackage.files().stream().filter(file -> file.table().equals(merged.table())).toList();
    }
}
