package io.sluice.normalize;

import io.sluice.schema.Column;
import io.sluice.schema.CsvLayout;
import io.sluice.schema.TableFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The staged files one table's rows stream to. When the table gains a column a new part starts, so each part has a
 * fixed set of columns (a prefix of the final ones); final types apply to every part at load. A part also ends once
 * it holds {@link #PART_SIZE} characters, so that what reads one part at a time holds a bounded amount of it.
 */
final class StagedParts implements AutoCloseable {
    /**
     * DuckDB's CSV reader buffers a whole file up to its line limit (256 MiB, for huge values): a 1,000,000-row part of
     * 133 MiB was held whole during the load. Parts of 32 MiB let the load run within DuckDB's memory limit at the same
     * CPU time (bench/RESULTS-perf.md). A longer row still fits: the part ends after it.
     */
    static final long PART_SIZE = 32L << 20;

    private final String table;
    private final Path directory;
    private final List<Part> parts = new ArrayList<>();
    private StagedFileWriter writer;

    StagedParts(String table, Path directory) {
        this.table = table;
        this.directory = directory;
    }

    /** Writes the first {@code columns} values of {@code row}. */
    void write(Object[] row, int columns) {
        try {
            if (writer == null || parts.getLast().columns != columns || writer.written() >= PART_SIZE) {
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
     * columns as {@code layout} reads them; the rows written after it go on in a new part.
     */
    void addCopy(Path file, CsvLayout layout, int columns, long rows) {
        close();
        Part part = new Part(file, columns, Optional.of(layout));
        part.rows = rows;
        parts.add(part);
    }

    /** The parts that hold rows, each with the columns it was written with. */
    List<TableFile> finish(List<Column> finalColumns) {
        close();
        return parts.stream()
                .filter(part -> part.rows > 0)
                .map(part -> new TableFile(table, finalColumns.subList(0, part.columns), part.file, part.rows, part.layout))
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

    private void startPart(int columns) throws IOException {
        close();
        Path file = directory.resolve(table + "." + parts.size() + ".csv");
        writer = new StagedFileWriter(file);
        parts.add(new Part(file, columns, Optional.empty()));
    }

    /** One file, with the row count it grows by as rows are written; a copy of a source's file says how to read it. */
    private static final class Part {
        final Path file;
        final int columns;
        final Optional<CsvLayout> layout;
        long rows;

        Part(Path file, int columns, Optional<CsvLayout> layout) {
            this.file = file;
            this.columns = columns;
            this.layout = layout;
        }
    }
}
