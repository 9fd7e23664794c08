package io.sluice.normalize;

import io.sluice.schema.Column;
import io.sluice.schema.CsvLayout;
import io.sluice.schema.StagedCsv;
import io.sluice.schema.TableFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The staged files one table's rows stream to. When the table gains a column a new part starts, so each part has a
 * fixed set of columns (a prefix of the final ones); final types apply to every part at load. A part also ends once
 * it holds {@link StagedCsv#PART_SIZE} bytes, so that what reads one part at a time holds a bounded amount of it. Files a
 * worker staged for the table from one part of the resource are adopted in their place in the order, with their own
 * columns; a copy of a source's CSV file is a part of its own, with the layout it is read with.
 */
final class StagedParts implements AutoCloseable {
    private final String table;
    private final Path directory;
    /** Starts this table's file names: a worker's own, so that the files of several workers never share a name. */
    private final String prefix;
    private final List<Part> parts = new ArrayList<>();
    private StagedFileWriter writer;

    StagedParts(String table, Path directory) {
        this(table, directory, "");
    }

    StagedParts(String table, Path directory, String prefix) {
        this.table = table;
        this.directory = directory;
        this.prefix = prefix;
    }

    /** Writes the first {@code columns} values of {@code row}. */
    void write(Object[] row, int columns) {
        try {
            if (writer == null || parts.getLast().columns != columns || writer.written() >= StagedCsv.PART_SIZE) {
                startPart(columns);
            }
            writer.writeRow(row, columns);
            parts.getLast().rows++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write staged rows of table " + table, e);
        }
    }

    /**
     * Adds a copy of a source's CSV file as a part of its own, holding {@code rows} rows in the first {@code columns}
     * columns as {@code layout} reads them, in lines of at most {@code longestLine} bytes; the rows written after it go
     * on in a new part.
     */
    void addCopy(Path file, CsvLayout layout, int columns, long rows, long longestLine) {
        close();
        Part part = new Part(file, columns, Optional.of(layout));
        part.rows = rows;
        part.longestLine = longestLine;
        parts.add(part);
    }

    /** Files staged elsewhere (by a worker) for this table, which follow the rows written so far. */
    void adopt(List<TableFile> files) {
        close();
        files.forEach(file -> parts.add(new Part(file)));
    }

    /**
     * The parts that hold rows, each with the columns it was written with, typed as the table's final columns are. The
     * load makes the table from the columns of its last file, in their order: when the last part does not hold all of
     * them in the table's order (adopted parts hold the columns of their own rows, in the order their worker met them),
     * an empty file with all of them follows.
     */
    List<TableFile> finish(List<Column> finalColumns) {
        close();
        Map<String, Column> byName = new HashMap<>();
        finalColumns.forEach(column -> byName.put(column.name(), column));
        List<TableFile> files = new ArrayList<>(parts.stream()
                .filter(part -> part.rows > 0)
                .map(part -> new TableFile(table, part.adopted == null ? finalColumns.subList(0, part.columns)
                        : part.adopted.columns().stream().map(column -> byName.get(column.name())).toList(), part.file, part.rows,
                        part.longestLine, part.layout))
                .toList());
        if (!files.isEmpty() && !files.getLast().columns().equals(finalColumns)) {
            files.add(new TableFile(table, finalColumns, emptyPart(), 0, 0));
        }
        return files;
    }

    /** Removes the files written, which nothing will load. */
    void delete() {
        close();
        try {
            for (Part part : parts) {
                Files.deleteIfExists(part.file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove staged rows of table " + table, e);
        }
    }

    /** Closes the part being written, which is the last one; its longest line is its writer's. */
    @Override
    public void close() {
        if (writer != null) {
            parts.getLast().longestLine = writer.longestLine();
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close staged rows of table " + table, e);
            }
            writer = null;
        }
    }

    private Path emptyPart() {
        try {
            startPart(0);
            close();
            return parts.getLast().file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write staged rows of table " + table, e);
        }
    }

    private void startPart(int columns) throws IOException {
        close();
        Path file = directory.resolve(table + "." + prefix + parts.size() + ".csv");
        writer = new StagedFileWriter(file);
        parts.add(new Part(file, columns, Optional.empty()));
    }

    /**
     * One file, with the row count it grows by as rows are written, or one adopted as it was staged; a copy of a source's
     * file says how to read it.
     */
    private static final class Part {
        final Path file;
        final int columns;
        /** The file as a worker staged it, or null for one written here. */
        final TableFile adopted;
        final Optional<CsvLayout> layout;
        long rows;
        long longestLine;

        Part(Path file, int columns, Optional<CsvLayout> layout) {
            this.file = file;
            this.columns = columns;
            this.adopted = null;
            this.layout = layout;
        }

        Part(TableFile adopted) {
            this.file = adopted.file();
            this.columns = adopted.columns().size();
            this.adopted = adopted;
            this.layout = adopted.layout();
            this.rows = adopted.rows();
            this.longestLine = adopted.longestLine();
        }
    }
}
