package io.sluice.load;

import java.util.List;

/** Rows of a table, each value as JDBC returned it (null for NULL). */
public record TablePreview(List<String> columns, List<List<Object>> rows) {
    public TablePreview {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
