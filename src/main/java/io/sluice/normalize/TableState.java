package io.sluice.normalize;

import io.sluice.schema.Column;
import io.sluice.schema.TableFile;
import io.sluice.schema.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One table while a resource is normalized: its columns as they evolve, the column names taken, and the staged
 * files its rows stream to. When a column appears a new file part starts, so each part has a fixed set of columns
 * (a prefix of the final ones); final types apply to every part at load.
 */
final class TableState {
    final String name;
    final Optional<String> parent;
    final String resource;
    /** The stored schema had this table, so the columns contract governs its new columns. */
    final boolean stored;
    final long salt;
    final PathNode fields;
    final List<Column> columns = new ArrayList<>();
    final Map<String, Integer> columnIndex = new HashMap<>();
    /** Source path of each column name taken, so that two paths never share a column. */
    final Map<String, String> owners = new LinkedHashMap<>();
    private final Path directory;
    private final List<Part> parts = new ArrayList<>();
    private StagedFileWriter writer;
    private Object[] row = new Object[8];
    private int writtenColumns = -1;
    long rows;
    long discardedRows;
    long discardedValues;
    long rejectedRecords;

    TableState(String name, Optional<String> parent, String resource, boolean stored, Path directory, int level) {
        this.name = name;
        this.parent = parent;
        this.resource = resource;
        this.stored = stored;
        this.directory = directory;
        this.salt = RowIds.salt(name);
        this.fields = new PathNode("", "", level);
    }

    int addColumn(Column column, String sourcePath) {
        columns.add(column);
        int index = columns.size() - 1;
        columnIndex.put(column.name(), index);
        owners.put(column.name(), sourcePath);
        if (row.length < columns.size()) {
            row = Arrays.copyOf(row, Math.max(columns.size(), row.length * 2));
        }
        return index;
    }

    /** A fresh row buffer for this table; valid until {@link #write}. */
    Object[] newRow() {
        Arrays.fill(row, 0, Math.min(row.length, columns.size()), null);
        return row;
    }

    void set(int column, Object value) {
        row[column] = value;
    }

    Object get(int column) {
        return row[column];
    }

    void write() {
        try {
            if (writer == null || writtenColumns != columns.size()) {
                startPart();
            }
            writer.writeRow(row, columns.size());
            parts.getLast().rows++;
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write staged rows of table " + name, e);
        }
    }

    List<TableFile> finish() {
        close();
        return parts.stream()
                .filter(part -> part.rows > 0)
                .map(part -> new TableFile(name, columns.subList(0, part.columns), part.file, part.rows))
                .toList();
    }

    TableSchema schema() {
        Map<String, String> sourceNames = new LinkedHashMap<>();
        owners.forEach((column, source) -> {
            if (!source.isEmpty() && source.charAt(0) != ResourceNormalizer.SYSTEM_PATH) {
                sourceNames.put(source, column);
            }
        });
        return new TableSchema(name, parent, resource, columns, sourceNames);
    }

    TableCounts counts() {
        return new TableCounts(name, rows, discardedRows, discardedValues, rejectedRecords);
    }

    void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close staged rows of table " + name, e);
            }
            writer = null;
        }
    }

    private void startPart() throws IOException {
        close();
        Path file = directory.resolve(name + "." + parts.size() + ".csv");
        writer = new StagedFileWriter(file);
        writtenColumns = columns.size();
        parts.add(new Part(file, writtenColumns));
    }

    private static final class Part {
        final Path file;
        final int columns;
        long rows;

        Part(Path file, int columns) {
            this.file = file;
            this.columns = columns;
        }
    }
}
