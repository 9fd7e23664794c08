package io.sluice.normalize;

import io.sluice.schema.Column;
import io.sluice.schema.ColumnHint;
import io.sluice.schema.ContractMode;
import io.sluice.schema.DataType;
import io.sluice.schema.MergeStrategy;
import io.sluice.schema.Naming;
import io.sluice.schema.SchemaChange;
import io.sluice.schema.SystemColumns;
import io.sluice.schema.TableHints;
import io.sluice.schema.TableSchema;
import io.sluice.schema.WriteDisposition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns the items of one resource into rows of its tables. Nested objects flatten into {@code parent__child}
 * columns; lists become nested tables {@code table__field} whose rows carry {@code _sluice_parent_id},
 * {@code _sluice_list_idx} and {@code _sluice_root_id}; lists of scalars give nested rows with a {@code value}
 * column; below the nesting limit values are kept as JSON. Types are inferred per value and the schema evolves
 * under the resource's contract: safe promotions widen a column, anything else goes to a variant column
 * ({@code price__v_text}), so no value is lost or silently coerced. Rows stream to staged files: memory holds one
 * item at a time.
 */
public final class ResourceNormalizer implements AutoCloseable {
    public static final String VALUE = "value";
    private static final String ID = SystemColumns.ID;
    private static final String PARENT_ID = SystemColumns.PARENT_ID;
    private static final String LIST_INDEX = SystemColumns.LIST_INDEX;
    private static final String ROOT_ID = SystemColumns.ROOT_ID;
    /** Source paths of system columns start with this character, which no source key path does. */
    static final char SYSTEM_PATH = '\u0000';
    /** Owner of a declared column until a source field claims it. */
    private static final String DECLARED = SYSTEM_PATH + "declared";
    private static final int REPORTED_DROPS = 20;

    private final String resource;
    private final String rootTableName;
    private final TableHints hints;
    private final Map<String, TableSchema> stored;
    private final Naming naming;
    private final Path directory;
    private final NormalizeListener listener;
    private final RowIds ids;
    private final Map<String, TableState> tables = new LinkedHashMap<>();
    private final Map<String, ColumnHint> declared = new LinkedHashMap<>();
    private final Set<String> primaryKey;
    private final Set<String> mergeKey;
    private final Optional<MergeStrategy.Scd2> scd2;
    private TableState root;
    /** Where the root table holds the row hash, or -1 when it has none. */
    private int rowHash = -1;
    private long ordinal;
    private long drops;
    private Supplier<String> origin = () -> "";
    private boolean discardRow;

    /**
     * @param storedTables this resource's tables as the stored schema has them (empty on a first load)
     */
    public ResourceNormalizer(String resource, String rootTable, TableHints hints, List<TableSchema> storedTables,
                              Naming naming, Path directory, String loadId, NormalizeListener listener) {
        this.resource = resource;
        this.rootTableName = rootTable;
        this.hints = hints;
        this.naming = naming;
        this.directory = directory;
        this.listener = listener;
        this.ids = new RowIds(loadId, resource);
        this.stored = new LinkedHashMap<>();
        storedTables.forEach(table -> stored.put(table.name(), table));
        hints.columns().forEach(hint -> declared.put(naming.identifier(hint.name()), hint));
        this.primaryKey = identifiers(hints.primaryKey());
        this.mergeKey = identifiers(hints.mergeKey());
        this.scd2 = hints.writeDisposition() == WriteDisposition.MERGE && hints.mergeStrategy() instanceof MergeStrategy.Scd2 versions
                ? Optional.of(versions) : Optional.empty();
    }

    /** Normalizes one item; {@code from} says where it came from, for errors. */
    public void add(Map<String, Object> item, Supplier<String> from) {
        this.origin = from;
        if (root == null) {
            root = table(rootTableName, Optional.empty(), 0);
            if (root == null) {
                return;
            }
            versionColumns(root);
            rowHash = root.columnIndex.getOrDefault(MergeStrategy.Scd2.ROW_HASH, -1);
        }
        RowIds.Id id = ids.root(ordinal++);
        discardRow = false;
        root.newRow();
        root.set(0, id.toString());
        if (rowHash >= 0) {
            root.set(rowHash, RowHash.of(item));
        }
        List<Object[]> lists = new ArrayList<>(0);
        flatten(root, root.fields, item, "", lists);
        if (discardRow) {
            root.discardedRows++;
            return;
        }
        root.write();
        nested(lists, id, id);
    }

    /** A source record that could not be read. It is counted against the root table; a frozen contract fails. */
    public void reject(Supplier<String> from, String reason) {
        if (hints.contract().freezesAnything()) {
            throw new ContractViolationException(from.get() + ": " + reason
                    + " (the schema contract freezes resource '" + resource + "', so bad records fail the run)");
        }
        TableState table = root != null ? root : tables.computeIfAbsent(rootTableName, name ->
                new TableState(name, Optional.empty(), resource, stored.containsKey(name), directory, 0));
        table.rejectedRecords++;
        drop(table.name, from, reason);
    }

    public NormalizedResource finish() {
        List<io.sluice.schema.TableFile> files = new ArrayList<>();
        List<TableSchema> schemas = new ArrayList<>();
        List<TableCounts> counts = new ArrayList<>();
        Map<String, TableSchema> untouched = new LinkedHashMap<>(stored);
        for (TableState table : tables.values()) {
            files.addAll(table.finish());
            if (!table.columns.isEmpty()) {
                schemas.add(table.schema());
            }
            counts.add(table.counts());
            untouched.remove(table.name);
        }
        schemas.addAll(untouched.values());
        return new NormalizedResource(files, schemas, counts);
    }

    @Override
    public void close() {
        tables.values().forEach(TableState::close);
    }

    /** Rows of nested tables, after their parent row was written. Each entry: node, list, parent id. */
    private void nested(List<Object[]> lists, RowIds.Id parentId, RowIds.Id rootId) {
        if (lists.isEmpty()) {
            return;
        }
        String parentText = parentId.toString();
        String rootText = rootId.toString();
        for (Object[] entry : lists) {
            PathNode node = (PathNode) entry[0];
            List<?> list = (List<?>) entry[1];
            TableState table = node.nestedTable;
            for (int index = 0; index < list.size(); index++) {
                Object element = list.get(index);
                if (element == null) {
                    continue;
                }
                RowIds.Id id = RowIds.child(parentId, table.salt, index);
                discardRow = false;
                table.newRow();
                table.set(0, id.toString());
                table.set(1, parentText);
                table.set(2, (long) index);
                table.set(3, rootText);
                List<Object[]> deeper = new ArrayList<>(0);
                if (element instanceof Map<?, ?> map) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> fields = (Map<String, Object>) map;
                    flatten(table, table.fields, fields, "", deeper);
                } else {
                    field(table, table.fields, VALUE, element, "", deeper);
                }
                if (discardRow) {
                    table.discardedRows++;
                    continue;
                }
                table.write();
                nested(deeper, id, rootId);
            }
        }
    }

    private void flatten(TableState table, PathNode parent, Map<String, Object> object, String sourcePrefix,
                         List<Object[]> lists) {
        for (Map.Entry<String, Object> field : object.entrySet()) {
            if (field.getValue() != null) {
                field(table, parent, field.getKey(), field.getValue(), sourcePrefix, lists);
            }
            if (discardRow) {
                return;
            }
        }
    }

    private void field(TableState table, PathNode parent, String key, Object value, String sourcePrefix, List<Object[]> lists) {
        PathNode node = parent.child(key);
        if (node == null) {
            String sourcePath = sourcePrefix.isEmpty() ? key : sourcePrefix + "." + key;
            String columnName = parent.columnName.isEmpty() ? naming.identifier(key) : naming.nested(parent.columnName, key);
            node = new PathNode(sourcePath, columnName, parent.level + 1);
            parent.addChild(key, node);
        }
        boolean nestable = node.level <= hints.maxNestingDepth() && !declaredJson(table, node);
        if (value instanceof Map<?, ?> map && nestable) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) map;
            flatten(table, node, fields, node.sourcePath, lists);
            return;
        }
        if (value instanceof List<?> list && nestable) {
            if (list.isEmpty()) {
                return;
            }
            if (node.nestedTable == null) {
                node.nestedTable = table(naming.shorten(table.name + Naming.NESTING + node.columnName), Optional.of(table.name),
                        node.level);
                if (node.nestedTable == null) {
                    return;
                }
            }
            lists.add(new Object[] {node, list});
            return;
        }
        scalar(table, node, value);
    }

    private void scalar(TableState table, PathNode node, Object value) {
        DataType type = Values.typeOf(value, hints.detections());
        if (node.column < 0 && !newColumn(table, node, type)) {
            return;
        }
        Column column = table.columns.get(node.column);
        boolean isDeclared = table.parent.isEmpty() && declared.containsKey(column.name());
        Object fitted = Values.fit(value, type, column, isDeclared);
        if (fitted != Values.NO_FIT) {
            table.set(node.column, fitted);
            return;
        }
        DataType promoted = isDeclared ? null : Values.promotion(column.type(), type);
        if (promoted != null) {
            if (allowed(table, hints.contract().dataType(), node, "type change of column '" + column.name() + "' from "
                    + column.type() + " to " + promoted)) {
                table.columns.set(node.column, column.withType(promoted));
                listener.schemaChanged(new SchemaChange.TypePromoted(table.name, column.name(), column.type(), promoted));
                table.set(node.column, Values.fit(value, type, table.columns.get(node.column), false));
            }
            return;
        }
        Integer variant = node.variant(type);
        String variantName = naming.variant(column.name(), type);
        if (variant == null && table.columnIndex.containsKey(variantName)) {
            variant = table.columnIndex.get(variantName);
            node.addVariant(type, variant);
        }
        if (variant == null) {
            if (!allowed(table, hints.contract().dataType(), node, type + " value for " + column.type() + " column '"
                    + column.name() + "'")) {
                return;
            }
            variant = table.addColumn(new Column(variantName, type, true, Set.of(), 0, 0, Optional.of(column.name())),
                    node.sourcePath + SYSTEM_PATH + type);
            node.addVariant(type, variant);
            listener.schemaChanged(new SchemaChange.NewVariant(table.name, column.name(), variantName, type));
        }
        Object stored = Values.fit(value, type, table.columns.get(variant), false);
        table.set(variant, stored == Values.NO_FIT ? value.toString() : stored);
    }

    /** A field the spec declares JSON keeps its nested value whole. */
    private boolean declaredJson(TableState table, PathNode node) {
        if (table.parent.isPresent()) {
            return false;
        }
        ColumnHint hint = declared.get(node.columnName);
        return hint != null && hint.type().filter(type -> type == DataType.JSON).isPresent();
    }

    /** Creates (or finds in the stored schema) the column of a path; false when the contract keeps it out. */
    private boolean newColumn(TableState table, PathNode node, DataType valueType) {
        String name = columnName(table, node);
        Integer existing = table.columnIndex.get(name);
        if (existing != null) {
            node.column = existing;
            return true;
        }
        if (table.stored && !allowed(table, hints.contract().columns(), node, "new column '" + name + "'")) {
            return false;
        }
        node.column = table.addColumn(column(table.parent.isEmpty(), name, valueType), node.sourcePath);
        listener.schemaChanged(new SchemaChange.NewColumn(table.name, name, table.columns.get(node.column).type()));
        return true;
    }

    /** The column name of a path: as stored, or its identifier, or (taken by another path) a disambiguated one. */
    private String columnName(TableState table, PathNode node) {
        TableSchema storedTable = stored.get(table.name);
        if (storedTable != null && storedTable.sourceNames().containsKey(node.sourcePath)) {
            return storedTable.sourceNames().get(node.sourcePath);
        }
        String owner = table.owners.get(node.columnName);
        if (DECLARED.equals(owner)) {
            table.owners.put(node.columnName, node.sourcePath);
            return node.columnName;
        }
        if (owner == null || owner.equals(node.sourcePath)) {
            return node.columnName;
        }
        return naming.disambiguated(node.columnName, node.sourcePath);
    }

    /** A new column, with what the spec declares about it when it belongs to the root table. */
    private Column column(boolean rootTable, String name, DataType inferred) {
        ColumnHint hint = rootTable ? declared.get(name) : null;
        Set<Column.Hint> flags = rootTable ? flags(name) : Set.of();
        if (hint == null) {
            return new Column(name, inferred, true, flags, 0, 0, Optional.empty());
        }
        return new Column(name, hint.type().orElse(inferred), hint.nullable().orElse(true), flags, hint.precision(),
                hint.scale(), Optional.empty());
    }

    /**
     * The hints the spec gives a column of the root table. A stored column takes them too, so that a key or merge
     * hint added to the spec later applies from the next load on.
     */
    private Set<Column.Hint> flags(String name) {
        Set<Column.Hint> flags = EnumSet.noneOf(Column.Hint.class);
        if (primaryKey.contains(name)) {
            flags.add(Column.Hint.PRIMARY_KEY);
        }
        if (mergeKey.contains(name)) {
            flags.add(Column.Hint.MERGE_KEY);
        }
        ColumnHint hint = declared.get(name);
        if (hint != null) {
            if (hint.unique()) {
                flags.add(Column.Hint.UNIQUE);
            }
            if (hint.partition()) {
                flags.add(Column.Hint.PARTITION);
            }
            if (hint.hardDelete()) {
                flags.add(Column.Hint.HARD_DELETE);
            }
            hint.dedupSort().ifPresent(order -> flags.add(switch (order) {
                case ASCENDING -> Column.Hint.DEDUP_SORT_ASCENDING;
                case DESCENDING -> Column.Hint.DEDUP_SORT_DESCENDING;
            }));
        }
        return flags;
    }

    /**
     * SCD2's columns in the root table: the validity interval, filled in by the load, and the row hash unless a
     * column of the data versions the rows. A table that merged another way before gains them here.
     */
    private void versionColumns(TableState table) {
        scd2.ifPresent(versions -> {
            List<Column> needed = new ArrayList<>(List.of(new Column(versions.validFrom(), DataType.TIMESTAMP),
                    new Column(versions.validTo(), DataType.TIMESTAMP)));
            if (versions.rowVersion().isEmpty()) {
                needed.add(new Column(MergeStrategy.Scd2.ROW_HASH, DataType.TEXT));
            }
            for (Column column : needed) {
                if (!table.columnIndex.containsKey(column.name())) {
                    table.addColumn(column, SYSTEM_PATH + column.name());
                    if (table.stored) {
                        listener.schemaChanged(new SchemaChange.NewColumn(table.name, column.name(), column.type()));
                    }
                }
            }
        });
    }

    /** Opens a table of this resource, new or stored; null when the tables contract keeps a new one out. */
    private TableState table(String name, Optional<String> parent, int level) {
        TableState existing = tables.get(name);
        if (existing != null) {
            return existing;
        }
        TableSchema storedTable = stored.get(name);
        if (storedTable == null && !allowedTable(name)) {
            return null;
        }
        TableState table = new TableState(name, parent, resource, storedTable != null, directory, level);
        tables.put(name, table);
        if (storedTable != null) {
            storedTable.columns().forEach(column -> table.addColumn(parent.isEmpty() ? column.withHints(flags(column.name())) : column,
                    SYSTEM_PATH + column.name()));
            storedTable.sourceNames().forEach((source, column) -> table.owners.put(column, source));
        } else {
            table.addColumn(new Column(ID, DataType.TEXT), SYSTEM_PATH + ID);
            if (parent.isPresent()) {
                table.addColumn(new Column(PARENT_ID, DataType.TEXT), SYSTEM_PATH + PARENT_ID);
                table.addColumn(new Column(LIST_INDEX, DataType.BIGINT), SYSTEM_PATH + LIST_INDEX);
                table.addColumn(new Column(ROOT_ID, DataType.TEXT), SYSTEM_PATH + ROOT_ID);
            } else {
                declared.forEach((columnName, hint) -> hint.type().ifPresent(type ->
                        table.addColumn(column(true, columnName, type), DECLARED)));
            }
            listener.schemaChanged(new SchemaChange.NewTable(name, parent));
        }
        return table;
    }

    private boolean allowedTable(String name) {
        return switch (hints.contract().tables()) {
            case EVOLVE -> true;
            case FREEZE -> throw new ContractViolationException(origin.get() + ": new table '" + name
                    + "' but the tables contract of resource '" + resource + "' is FREEZE");
            case DISCARD_ROW, DISCARD_VALUE -> {
                drop(name, origin, "new table '" + name + "' discarded by the tables contract");
                discardRow = hints.contract().tables() == ContractMode.DISCARD_ROW;
                yield false;
            }
        };
    }

    private boolean allowed(TableState table, ContractMode mode, PathNode node, String change) {
        return switch (mode) {
            case EVOLVE -> true;
            case FREEZE -> throw new ContractViolationException(origin.get() + ": field '" + node.sourcePath
                    + "' needs a " + change + " in table '" + table.name + "', but the schema contract of resource '"
                    + resource + "' freezes it");
            case DISCARD_ROW -> {
                discardRow = true;
                drop(table.name, origin, "row discarded: field '" + node.sourcePath + "' needs a " + change);
                yield false;
            }
            case DISCARD_VALUE -> {
                table.discardedValues++;
                drop(table.name, origin, "value discarded: field '" + node.sourcePath + "' needs a " + change);
                yield false;
            }
        };
    }

    private void drop(String table, Supplier<String> from, String reason) {
        if (drops++ < REPORTED_DROPS) {
            listener.dropped(table, from.get(), reason);
        }
    }

    private Set<String> identifiers(List<String> names) {
        return Set.copyOf(names.stream().map(naming::identifier).toList());
    }
}
