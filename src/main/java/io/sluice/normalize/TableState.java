package io.sluice.normalize;

import io.sluice.schema.Column;
import io.sluice.schema.CsvLayout;
import io.sluice.schema.DataType;
import io.sluice.schema.TableFile;
import io.sluice.schema.TableSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One table while a resource is normalized: its columns as they evolve, which source path owns each column name,
 * the row being built and what happened to its rows.
 */
final class TableState implements AutoCloseable {
    /** Source paths of system columns start with this character, which no source key path does. */
    private static final char SYSTEM_PATH = '\u0000';
    /** Owner of a declared column until a source field claims it. */
    private static final String DECLARED = SYSTEM_PATH + "declared";

    final String name;
    final Optional<String> parent;
    /** The stored schema had this table, so the columns contract governs its new columns. */
    final boolean stored;
    /** The stored table's column of each source path, so that a name decided in an earlier load stays. */
    private final Map<String, String> storedNames;
    /** Mixed into the ids of this table's rows, so that two nested tables give one parent different child ids. */
    final long salt;
    /** The root of this table's source paths. */
    final PathNode fields;
    private final String resource;
    private final List<Column> columns = new ArrayList<>();
    /** Each column as it was when it was added, before any promotion: what a worker's table is checked by. */
    private final List<Column> addedColumns = new ArrayList<>();
    private final Map<String, Integer> columnIndex = new HashMap<>();
    /** Source path of each column name taken, so that two paths never share a column. */
    private final Map<String, String> owners = new LinkedHashMap<>();
    private final StagedParts files;
    private Object[] row = new Object[8];
    private long rows;
    private long discardedRows;
    private long discardedValues;

    /**
     * @param storedNames the stored table's column of each source path, when the stored schema has the table
     * @param filePrefix what starts the names of its staged files after the table's name (a worker's own)
     */
    TableState(String name, Optional<String> parent, String resource, Optional<Map<String, String>> storedNames, Path directory,
               String filePrefix, int level) {
        this.name = name;
        this.parent = parent;
        this.resource = resource;
        this.stored = storedNames.isPresent();
        this.storedNames = storedNames.orElse(Map.of());
        this.salt = RowIds.salt(name);
        this.fields = new PathNode("", "", level);
        this.files = new StagedParts(name, directory, filePrefix);
    }

    boolean isRoot() {
        return parent.isEmpty();
    }

    /** Adds a column owned by a source path; returns its index. */
    int addColumn(Column column, String sourcePath) {
        columns.add(column);
        addedColumns.add(column);
        int index = columns.size() - 1;
        columnIndex.put(column.name(), index);
        owners.put(column.name(), sourcePath);
        if (row.length < columns.size()) {
            row = Arrays.copyOf(row, Math.max(columns.size(), row.length * 2));
        }
        return index;
    }

    /** Adds a column no source path owns: a row id, an SCD2 validity column, a stored column. */
    int addSystemColumn(Column column) {
        return addColumn(column, SYSTEM_PATH + column.name());
    }

    /** Adds a column the spec declares, which the first source path of its name will own. */
    void addDeclaredColumn(Column column) {
        addColumn(column, DECLARED);
    }

    /** Adds the column holding the {@code type} values of a source path that its own column cannot hold. */
    int addVariantColumn(Column column, String sourcePath, DataType type) {
        return addColumn(column, sourcePath + SYSTEM_PATH + type);
    }

    /** The column an earlier load gave this source path, or null. */
    String storedName(String sourcePath) {
        return storedNames.get(sourcePath);
    }

    /** Records the owner of a column name the stored schema gave a source path. */
    void claimStoredName(String column, String sourcePath) {
        owners.put(column, sourcePath);
    }

    /**
     * Whether {@code sourcePath} may take the column {@code column}: nobody has it, it has it already, or the spec
     * declared it and no path claimed it yet (this one does now).
     */
    boolean claim(String column, String sourcePath) {
        String owner = owners.get(column);
        if (DECLARED.equals(owner)) {
            owners.put(column, sourcePath);
            return true;
        }
        return owner == null || owner.equals(sourcePath);
    }

    /** The index of a column, or -1 when the table has none of that name. */
    int indexOf(String column) {
        Integer index = columnIndex.get(column);
        return index == null ? -1 : index;
    }

    Column column(int index) {
        return columns.get(index);
    }

    void changeType(int index, DataType type) {
        columns.set(index, columns.get(index).withType(type));
    }

    boolean hasColumns() {
        return !columns.isEmpty();
    }

    /** Starts the next row; its values stay until {@link #write}. */
    void newRow() {
        Arrays.fill(row, 0, Math.min(row.length, columns.size()), null);
    }

    void set(int column, Object value) {
        row[column] = value;
    }

    void write() {
        files.write(row, columns.size());
        rows++;
    }

    /**
     * Adds a copy of a source's CSV file holding {@code rows} rows of this table in its columns so far, as {@code layout}
     * reads them, in lines of at most {@code longestLine} bytes.
     */
    void addCopy(Path file, CsvLayout layout, long rows, long longestLine) {
        files.addCopy(file, layout, columns.size(), rows, longestLine);
        this.rows += rows;
    }

    void countDiscardedRow() {
        discardedRows++;
    }

    void countDiscardedValue() {
        discardedValues++;
    }

    List<TableFile> finish() {
        return files.finish(columns);
    }

    /**
     * Whether {@code worker}'s table, which a worker began from the stored schema alone, holds exactly what this table
     * would have made of the worker's items: each column both have was, when the worker added it, what it is here (so
     * every value met the same column), and each column name both have is owned by the same source path (so every
     * path got the same name). Then the worker's evolution of the table is this table's from here.
     */
    boolean continuedBy(TableState worker) {
        for (int index = 0; index < worker.columns.size(); index++) {
            Integer here = columnIndex.get(worker.columns.get(index).name());
            if (here != null && !columns.get(here).equals(worker.addedColumns.get(index))) {
                return false;
            }
        }
        for (Map.Entry<String, String> owner : worker.owners.entrySet()) {
            String here = owners.get(owner.getKey());
            if (here != null && !here.equals(owner.getValue()) && !here.equals(DECLARED) && !owner.getValue().equals(DECLARED)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the table has a column of this name. */
    boolean hasColumn(String column) {
        return columnIndex.containsKey(column);
    }

    /**
     * Takes over what {@code worker}'s table, {@link #continuedBy continuing} this one, did: its new columns (in the
     * order it added them) and promotions, the paths that claimed names, its counts, and its staged files, after the
     * rows written so far.
     */
    void absorb(TableState worker) {
        for (int index = 0; index < worker.columns.size(); index++) {
            Column column = worker.columns.get(index);
            Integer here = columnIndex.get(column.name());
            if (here == null) {
                addColumn(worker.addedColumns.get(index), worker.owners.get(column.name()));
                here = columns.size() - 1;
            }
            columns.set(here, column);
        }
        worker.owners.forEach((column, owner) -> owners.merge(column, owner, (here, theirs) -> here.equals(DECLARED) ? theirs : here));
        rows += worker.rows;
        discardedRows += worker.discardedRows;
        discardedValues += worker.discardedValues;
        files.adopt(worker.finish());
    }

    /** Removes the table's staged files, which nothing will load (a worker's, when the part is normalized again). */
    void delete() {
        files.delete();
    }

    TableSchema schema() {
        Map<String, String> sourceNames = new LinkedHashMap<>();
        owners.forEach((column, source) -> {
            if (!source.isEmpty() && source.charAt(0) != SYSTEM_PATH) {
                sourceNames.put(source, column);
            }
        });
        return new TableSchema(name, parent, resource, columns, sourceNames);
    }

    TableCounts counts(long rejectedRecords) {
        return new TableCounts(name, rows, discardedRows, discardedValues, rejectedRecords);
    }

    @Override
    public void close() {
        files.close();
    }
}
