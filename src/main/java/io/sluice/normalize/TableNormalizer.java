package io.sluice.normalize;

import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import io.sluice.schema.Naming;
import io.sluice.schema.TableFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the items of one resource into rows of one table: top-level fields become snake_case columns, each
 * column's type is the narrowest that holds every value seen, and rows stream to staged files in the load
 * package. A column appears only once a non-null value for it arrives; when one appears, a new file part starts,
 * so each part has a fixed set of columns (a prefix of the final ones).
 */
public final class TableNormalizer implements AutoCloseable {
    private final String table;
    private final Path directory;
    private final Map<String, Integer> columnOfKey = new HashMap<>();
    private final Set<String> columnNames = new HashSet<>();
    private final List<String> names = new ArrayList<>();
    private final List<DataType> types = new ArrayList<>();
    private final List<Part> parts = new ArrayList<>();
    private StagedFileWriter writer;
    private Object[] row = new Object[0];
    private long rows;

    public TableNormalizer(String table, Path directory) {
        this.table = table;
        this.directory = directory;
    }

    public void add(Map<String, Object> item) {
        int before = names.size();
        Arrays.fill(row, null);
        for (Map.Entry<String, Object> field : item.entrySet()) {
            Object value = field.getValue();
            if (value == null) {
                continue;
            }
            DataType type = Values.typeOf(value);
            int index = columnOfKey.computeIfAbsent(field.getKey(), this::newColumn);
            if (index >= row.length) {
                row = Arrays.copyOf(row, Math.max(names.size(), row.length * 2));
            }
            types.set(index, types.get(index) == null ? type : types.get(index).widen(type));
            row[index] = value;
        }
        try {
            if (writer == null || names.size() != before) {
                startPart();
            }
            writer.writeRow(row, names.size());
            parts.getLast().rows++;
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write staged rows of table " + table, e);
        }
    }

    public long rows() {
        return rows;
    }

    /** Closes the staged files and describes them with each column's final type. */
    public List<TableFile> finish() {
        close();
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            columns.add(new Column(names.get(i), types.get(i)));
        }
        return parts.stream()
                .filter(part -> part.rows > 0)
                .map(part -> new TableFile(table, columns.subList(0, part.columns), part.file, part.rows))
                .toList();
    }

    @Override
    public void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close staged rows of table " + table, e);
            }
            writer = null;
        }
    }

    private int newColumn(String key) {
        String name = Naming.snakeCase(key);
        String unique = name;
        for (int suffix = 2; !columnNames.add(unique); suffix++) {
            unique = name + "_" + suffix;
        }
        names.add(unique);
        types.add(null);
        return names.size() - 1;
    }

    private void startPart() throws IOException {
        close();
        Path file = directory.resolve(table + "." + parts.size() + ".csv");
        writer = new StagedFileWriter(file);
        parts.add(new Part(file, names.size()));
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
