package io.sluice.schema;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * One staged file of a load package: rows of {@code table} whose fields are exactly {@code columns}, in order,
 * written in the {@link StagedCsv} dialect.
 */
public record TableFile(String table, List<Column> columns, Path file, long rows) {
    public TableFile {
        requireNonNull(table, "table is null");
        columns = List.copyOf(columns);
        requireNonNull(file, "file is null");
    }
}
