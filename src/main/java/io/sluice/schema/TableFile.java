package io.sluice.schema;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One staged file of a load package: rows of {@code table} whose fields are exactly {@code columns}, in order,
 * written in the {@link StagedCsv} dialect; or, with a {@code layout}, a source's CSV file copied as it was, which the
 * layout says how to read into {@code columns}. {@code longestLine} is the length in bytes of its longest line (a row
 * with its line end, or the header), which bounds what a reader must hold of the file at once; 0 for a file without
 * rows, or when it is not known (a package sealed before files carried it).
 */
public record TableFile(String table, List<Column> columns, Path file, long rows, long longestLine, Optional<CsvLayout> layout) {
    public TableFile {
        requireNonNull(table, "table is null");
        columns = List.copyOf(columns);
        requireNonNull(file, "file is null");
        if (longestLine < 0) {
            throw new IllegalArgumentException("longestLine is negative: " + longestLine);
        }
        requireNonNull(layout, "layout is null");
    }

    /** A file in the {@link StagedCsv} dialect. */
    public TableFile(String table, List<Column> columns, Path file, long rows, long longestLine) {
        this(table, columns, file, rows, longestLine, Optional.empty());
    }
}
