package io.sluice.normalize;

import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import io.sluice.schema.MergeStrategy;
import io.sluice.schema.SchemaChange;
import io.sluice.schema.SystemColumns;
import io.sluice.schema.TableFile;
import io.sluice.schema.TableHints;
import io.sluice.schema.TableSchema;
import io.sluice.schema.WriteDisposition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The tables of one resource: each opened once, with the columns the stored schema gives it or, when new, its
 * system columns (and the root table's declared ones), and gathered into files, schemas and counts at the end.
 */
final class ResourceTables implements AutoCloseable {
    private final String resource;
    private final Map<String, TableSchema> stored = new LinkedHashMap<>();
    private final DeclaredColumns declared;
    private final Optional<MergeStrategy.Scd2> scd2;
    private final Path directory;
    private final String filePrefix;
    private final NormalizeListener listener;
    private final Contract contract;
    private final Map<String, TableState> open = new LinkedHashMap<>();

    /** @param filePrefix what starts the names of the tables' staged files after each table's name (a worker's own) */
    ResourceTables(String resource, List<TableSchema> storedTables, TableHints hints, DeclaredColumns declared, Path directory,
                   String filePrefix, NormalizeListener listener, Contract contract) {
        this.resource = resource;
        this.contract = contract;
        storedTables.forEach(table -> stored.put(table.name(), table));
        this.declared = declared;
        this.scd2 = hints.writeDisposition() == WriteDisposition.MERGE && hints.mergeStrategy() instanceof MergeStrategy.Scd2 versions
                ? Optional.of(versions) : Optional.empty();
        this.directory = directory;
        this.filePrefix = filePrefix;
        this.listener = listener;
    }

    /** The table of this name when it is open already, or null. */
    TableState find(String name) {
        return open.get(name);
    }

    /** Whether a table not open yet may be: a stored one may, a new one asks the tables contract. */
    Contract.Verdict admit(String name, Supplier<String> origin) {
        return stored.containsKey(name) ? Contract.Verdict.KEEP : contract.newTable(name, origin);
    }

    /** Opens the root table: a merge that versions rows (SCD2) gives it validity columns and the row hash. */
    TableState openRoot(String name) {
        TableState table = open(name, Optional.empty(), 0);
        scd2.ifPresent(versions -> versionColumns(table, versions));
        return table;
    }

    /** Opens a table whose rows are the elements of lists in {@code parent}'s rows. */
    TableState openNested(String name, String parent, int level) {
        return open(name, Optional.of(parent), level);
    }

    /** Every table's staged files, its schema after evolution (stored tables this load left alone too) and its counts. */
    NormalizedResource finish(String rootTable, long rejectedRecords) {
        List<TableFile> files = new ArrayList<>();
        List<TableSchema> schemas = new ArrayList<>();
        List<TableCounts> counts = new ArrayList<>();
        Map<String, TableSchema> untouched = new LinkedHashMap<>(stored);
        for (TableState table : open.values()) {
            files.addAll(table.finish());
            if (table.hasColumns()) {
                schemas.add(table.schema());
            }
            counts.add(table.counts(table.name.equals(rootTable) ? rejectedRecords : 0));
            untouched.remove(table.name);
        }
        if (rejectedRecords > 0 && !open.containsKey(rootTable)) {
            counts.addFirst(new TableCounts(rootTable, 0, 0, 0, rejectedRecords));
        }
        schemas.addAll(untouched.values());
        return new NormalizedResource(files, schemas, counts);
    }

    /**
     * Takes over the tables a worker normalized one part of the resource into, when each {@link TableState#continuedBy
     * continues} the table open here, so that the result is what normalizing the part here would have given; the
     * schema changes the worker heard that are news here are told, in the worker's order.
     *
     * @return false, changing nothing, when a table does not continue
     */
    boolean absorb(ResourceTables worker, List<SchemaChange> heard) {
        for (TableState table : worker.open.values()) {
            TableState here = open.get(table.name);
            if (here != null && !here.continuedBy(table)) {
                return false;
            }
        }
        List<SchemaChange> news = heard.stream().filter(this::isNews).toList();
        for (TableState table : worker.open.values()) {
            open.computeIfAbsent(table.name, name -> new TableState(name, table.parent, resource,
                    Optional.ofNullable(stored.get(name)).map(TableSchema::sourceNames), directory, filePrefix, table.fields.level))
                    .absorb(table);
        }
        news.forEach(listener::schemaChanged);
        return true;
    }

    /** Removes the staged files of every table, which nothing will load. */
    void delete() {
        open.values().forEach(TableState::delete);
    }

    @Override
    public void close() {
        open.values().forEach(TableState::close);
    }

    /** Whether a worker's schema change changes the tables open here: a table or column they have is no news. */
    private boolean isNews(SchemaChange change) {
        TableState here = open.get(change.table());
        return switch (change) {
            case SchemaChange.NewTable ignored -> here == null;
            case SchemaChange.NewColumn column -> here == null || !here.hasColumn(column.column());
            case SchemaChange.NewVariant variant -> here == null || !here.hasColumn(variant.variant());
            case SchemaChange.TypePromoted ignored -> true;
        };
    }

    private TableState open(String name, Optional<String> parent, int level) {
        TableSchema storedTable = stored.get(name);
        TableState table = new TableState(name, parent, resource, Optional.ofNullable(storedTable).map(TableSchema::sourceNames),
                directory, filePrefix, level);
        open.put(name, table);
        if (storedTable != null) {
            storedTable.columns().forEach(column -> table.addSystemColumn(parent.isEmpty() ? column.withHints(declared.flags(column.name()))
                    : column));
            storedTable.sourceNames().forEach((source, column) -> table.claimStoredName(column, source));
            return table;
        }
        table.addSystemColumn(new Column(SystemColumns.ID, DataType.TEXT));
        if (parent.isPresent()) {
            table.addSystemColumn(new Column(SystemColumns.PARENT_ID, DataType.TEXT));
            table.addSystemColumn(new Column(SystemColumns.LIST_INDEX, DataType.BIGINT));
            table.addSystemColumn(new Column(SystemColumns.ROOT_ID, DataType.TEXT));
        } else {
            declared.typedColumns().forEach(table::addDeclaredColumn);
        }
        listener.schemaChanged(new SchemaChange.NewTable(name, parent));
        return table;
    }

    /**
     * SCD2's columns in the root table: the validity interval, filled in by the load, and the row hash unless a
     * column of the data versions the rows. A table that merged another way before gains them here.
     */
    private void versionColumns(TableState table, MergeStrategy.Scd2 versions) {
        List<Column> needed = new ArrayList<>(List.of(new Column(versions.validFrom(), DataType.TIMESTAMP),
                new Column(versions.validTo(), DataType.TIMESTAMP)));
        if (versions.rowVersion().isEmpty()) {
            needed.add(new Column(MergeStrategy.Scd2.ROW_HASH, DataType.TEXT));
        }
        for (Column column : needed) {
            if (table.indexOf(column.name()) < 0) {
                table.addSystemColumn(column);
                if (table.stored) {
                    listener.schemaChanged(new SchemaChange.NewColumn(table.name, column.name(), column.type()));
                }
            }
        }
    }
}
