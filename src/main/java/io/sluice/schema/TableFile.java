package io.sluice.schema;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One staged file of a load package: rows of {@code table} whose fields are exactly {@code columns}, in order,
 * written in the {@link StagedCsv} dialect; or, with a {@code layout}, a source's CSV file copied as it was, which the
 * layout says how to read into {@code columns}.
 */
public record TableFile(String table, List<Column> columns, Path file, long rows, Optional<CsvLayout> layout) {
    public TableFile {
        requireNonNull(table, "table is null");
        columns = List.copyOf(columns);
        requireNonNull(file, "file is null");
        requireNonNull(layout, "layout is null");
    }

    /** A file in the {@link StagedCsv} dialect. */
    public TableFile(String table, List<Column> columns, Path file, long rows) {
        this(table, columns, file, rows, Optional.empty());
    }
}
