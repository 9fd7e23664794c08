package io.sluice.normalize;

import io.sluice.schema.TableFile;
import io.sluice.schema.TableSchema;
import java.util.List;

/** One resource normalized: its staged files, its tables' schemas after evolution, and its counts. */
public record NormalizedResource(List<TableFile> files, List<TableSchema> tables, List<TableCounts> counts) {
    public NormalizedResource {
        files = List.copyOf(files);
        tables = List.copyOf(tables);
        counts = List.copyOf(counts);
    }
}
