package io.sluice.normalize;

import io.sluice.schema.AscendingIntegers;
import io.sluice.schema.Column;
import io.sluice.schema.CsvLayout;
import io.sluice.schema.DataType;
import io.sluice.schema.MergeStrategy;
import io.sluice.schema.Naming;
import io.sluice.schema.ScannedCsv;
import io.sluice.schema.SchemaChange;
import io.sluice.schema.SchemaContract;
import io.sluice.schema.TableHints;
import io.sluice.schema.TableSchema;
import io.sluice.schema.WriteDisposition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Turns the items of one resource into rows of its tables, evolving their schema under the resource's contract;
 * rows stream to staged files, so memory holds one item at a time. The work is split: {@link ItemRows} flattens
 * an item into rows, {@link ValueColumns} types and places each value, {@link Contract} decides what the contract
 * refuses, {@link ResourceTables} opens the tables and gathers the result.
 *
 * <p>The parts of a resource (its files) may be normalized at once, each by a {@link #worker} that begins from the
 * stored schema; {@link #absorb} takes a worker's result over, in the parts' order, when it is exactly what this
 * normalizer would have made of the part, and otherwise the part is normalized here again.
 */
public final class ResourceNormalizer implements AutoCloseable {
    /** The bits of a row's ordinal below its part's position: a part holds 2^40 items at most. */
    private static final int PART_ORDINAL_BITS = 40;

    private final Setup setup;
    private final String rootTableName;
    private final RowIds ids;
    private final Contract contract;
    private final ResourceTables tables;
    private final ItemRows rows;
    private final FlatRows flatRows;
    private final ValueColumns values;
    /** Starts the names of the files this normalizer stages: a worker's own. */
    private final String filePrefix;
    /** What a worker's normalizing changed in the schema, held until it is absorbed; null for the resource's own. */
    private final List<SchemaChange> heard;
    /** Whether copies of CSV files may be taken as they are: nothing the contract could refuse, no row hash to compute. */
    private final boolean takesCopies;
    private int copies;
    private TableState root;
    /** Where the root table holds the row hash, or -1 when it has none. */
    private int rowHash = -1;
    private long ordinal;
    private long rejectedRecords;

    /**
     * @param storedTables this resource's tables as the stored schema has them (empty on a first load)
     */
    public ResourceNormalizer(String resource, String rootTable, TableHints hints, List<TableSchema> storedTables,
                              Naming naming, Path directory, String loadId, NormalizeListener listener) {
        this(new Setup(resource, rootTable, hints, storedTables, naming, directory, loadId, listener),
                new Contract(resource, hints.contract(), listener), listener, "", null);
    }

    private ResourceNormalizer(Setup setup, Contract contract, NormalizeListener listener, String filePrefix, List<SchemaChange> heard) {
        this.setup = setup;
        this.rootTableName = setup.rootTable;
        this.ids = new RowIds(setup.loadId, setup.resource);
        this.contract = contract;
        this.filePrefix = filePrefix;
        this.heard = heard;
        DeclaredColumns declared = new DeclaredColumns(setup.hints, setup.naming);
        this.tables = new ResourceTables(setup.resource, setup.storedTables, setup.hints, declared, setup.directory, filePrefix,
                listener, contract);
        this.values = new ValueColumns(setup.hints.detections(), setup.naming, declared, contract, listener);
        this.rows = new ItemRows(setup.hints.maxNestingDepth(), setup.naming, declared, tables, values);
        this.flatRows = new FlatRows(setup.naming, values);
        this.takesCopies = setup.hints.contract().equals(SchemaContract.EVOLVE)
                && !(setup.hints.writeDisposition() == WriteDisposition.MERGE && setup.hints.mergeStrategy() instanceof MergeStrategy.Scd2);
    }

    /** What every normalizer of the resource is made with. */
    private record Setup(String resource, String rootTable, TableHints hints, List<TableSchema> storedTables, Naming naming,
                         Path directory, String loadId, NormalizeListener listener) {
    }

    /**
     * A normalizer for the part of the resource at {@code position} (its file's place among the resource's files), to run
     * on a thread of its own: it begins from the stored schema, stages files of its own, holds its schema changes until
     * {@link #absorb}, and numbers its rows from the part's position, so that their ids do not depend on the parts before.
     */
    public ResourceNormalizer worker(int position) {
        List<SchemaChange> held = new ArrayList<>();
        NormalizeListener holding = new NormalizeListener() {
            @Override
            public void schemaChanged(SchemaChange change) {
                held.add(change);
            }

            @Override
            public void dropped(String table, String origin, String reason) {
                setup.listener.dropped(table, origin, reason);
            }
        };
        ResourceNormalizer worker = new ResourceNormalizer(setup, contract.forWorker(holding), holding, "p" + position + ".", held);
        worker.startPart(position);
        return worker;
    }

    /**
     * The items that follow are those of the part at {@code position}: their rows are numbered from the part's position,
     * as a {@link #worker} for it numbers them.
     */
    public void startPart(int position) {
        ordinal = (long) position << PART_ORDINAL_BITS;
    }

    /**
     * Takes over what {@code worker} normalized, when it is exactly what this normalizer would have made of the same
     * items: its tables and columns, in the order they would have come, its staged files and counts, and its schema
     * changes that are news here, told now. Otherwise the worker's staged files are removed and nothing changes: the
     * part is to be normalized here (after {@link #startPart}).
     *
     * @return whether the worker's result was taken over
     */
    public boolean absorb(ResourceNormalizer worker) {
        if (worker.heard == null) {
            throw new IllegalArgumentException("only a worker's result can be absorbed");
        }
        worker.close();
        if (!tables.absorb(worker.tables, worker.heard)) {
            worker.tables.delete();
            return false;
        }
        rejectedRecords += worker.rejectedRecords;
        return true;
    }

    /** Normalizes one item; {@code from} says where it came from, for errors. */
    public void add(Map<String, Object> item, Supplier<String> from) {
        if (root == null && !openRoot(from)) {
            return;
        }
        RowIds.Id id = ids.root(ordinal++);
        root.newRow();
        root.set(0, id);
        if (rowHash >= 0) {
            root.set(rowHash, RowHash.of(item));
        }
        rows.write(root, id, item, from);
    }

    /**
     * Normalizes flat rows given as value arrays against one column list (distinct names), as {@link #add} would
     * normalize each row as an item of those fields, in order, but without building the item: a row with a nested
     * value, or bound for a table that hashes its rows, still goes as an item.
     *
     * @param origins where the row at an index of {@code values} came from, for errors
     */
    public void addRows(List<String> columns, List<Object[]> values, IntFunction<String> origins) {
        for (int index = 0; index < values.size(); index++) {
            Object[] row = values.get(index);
            int at = index;
            Supplier<String> from = () -> origins.apply(at);
            if (root == null && !openRoot(from)) {
                continue;
            }
            if (rowHash >= 0 || FlatRows.hasNested(row)) {
                add(item(columns, row), from);
                continue;
            }
            root.newRow();
            root.set(0, ids.root(ordinal++));
            if (flatRows.fill(root, columns, row, from)) {
                root.write();
            } else {
                root.countDiscardedRow();
            }
        }
    }

    /**
     * Whether {@link #addCopy} may take copies of CSV files: the contract lets every table, column and type in (so taking
     * a file's columns can never be refused part-way), and no row hash is computed (it needs each row's values).
     */
    public boolean takesCopies() {
        return takesCopies;
    }

    /** A new file in the package for the copy of a source's CSV file. */
    public Path newCopy() {
        return setup.directory.resolve(rootTableName + "." + filePrefix + "copy-" + copies++ + ".csv");
    }

    /**
     * Writes the id of the row {@code row} places after the last one normalized (counting from 0) into {@code into}
     * from 0 as ASCII bytes: the id it would get as an item, so a copy's rows have the ids the normal path gives them. A
     * file is copied as the whole of its part, so its rows are numbered from the part's position, here or on a worker.
     *
     * @return how many bytes the id has
     */
    public int rowId(long row, byte[] into) {
        ids.root(ordinal + row).writeTo(into, 0);
        return RowIds.Id.LENGTH;
    }

    /**
     * Takes a copy of a flat CSV file as rows of the root table, without an item per row, when that gives the table
     * what its rows would give it as items: each field's first value is put into its column as an item's value would be
     * (so columns are made, typed and promoted, and their changes reported, in the same order), and the copy is taken
     * only when each field's column then has the type of that value (which every value of the field has, the source
     * vouches; or the type the source declares for the field's values), so every value loads as itself. Otherwise nothing an item's rows would not have done has happened
     * (their first values make the same changes), and the file's rows must come as items.
     *
     * @param from where the file came from, for errors
     * @return whether the copy was taken
     */
    public boolean addCopy(ScannedCsv file, Supplier<String> from) {
        if (!takesCopies || file.rows() == 0 || (root == null && !openRoot(from))) {
            return false;
        }
        root.newRow();
        PathNode[] paths = new PathNode[file.fields().size()];
        for (int field : file.firstSeen()) {
            paths[field] = root.fields.child(file.fields().get(field), setup.naming);
            if (!values.put(root, paths[field], file.firstValues().get(field), from)) {
                return false;
            }
        }
        List<String> columns = new ArrayList<>(paths.length);
        Map<String, AscendingIntegers> ascending = new HashMap<>();
        for (int field = 0; field < paths.length; field++) {
            if (paths[field] == null) {
                columns.add("");
                continue;
            }
            Column column = root.column(paths[field].column());
            int index = field;
            DataType vouched = file.declaredTypes().map(types -> types.get(index))
                    .orElseGet(() -> Values.typeOf(file.firstValues().get(index), setup.hints.detections()));
            if (column.type() != vouched) {
                return false;
            }
            AscendingIntegers range = file.ascending().get(file.fields().get(field));
            if (range != null) {
                ascending.put(column.name(), range);
            }
            columns.add(column.name());
        }
        root.addCopy(file.copy(), new CsvLayout(file.delimiter(), file.quote(), file.header(), columns, ascending), file.rows(),
                file.longestLine());
        ordinal += file.rows();
        return true;
    }

    /** A source record that could not be read. It is counted against the root table; a frozen contract fails. */
    public void reject(Supplier<String> from, String reason) {
        contract.rejected(rootTableName, from, reason);
        rejectedRecords++;
    }

    public NormalizedResource finish() {
        return tables.finish(rootTableName, rejectedRecords);
    }

    @Override
    public void close() {
        tables.close();
    }

    private static Map<String, Object> item(List<String> columns, Object[] row) {
        Map<String, Object> item = LinkedHashMap.newLinkedHashMap(columns.size());
        for (int column = 0; column < row.length; column++) {
            item.put(columns.get(column), row[column]);
        }
        return item;
    }

    /**
     * Opens the root table for the first item (or takes the one a worker's result brought); false (the item is dropped)
     * when the tables contract keeps it out.
     */
    private boolean openRoot(Supplier<String> from) {
        root = tables.find(rootTableName);
        if (root == null) {
            if (tables.admit(rootTableName, from) != Contract.Verdict.KEEP) {
                return false;
            }
            root = tables.openRoot(rootTableName);
        }
        rowHash = root.indexOf(MergeStrategy.Scd2.ROW_HASH);
        return true;
    }
}
