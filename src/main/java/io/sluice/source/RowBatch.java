package io.sluice.source;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A batch of flat rows whose values a source has typed already, handed over without an item per row: the value of
 * column {@code j} in row {@code i} is {@code rows().get(i)[j]}, of the kinds an item holds. The column types travel
 * once, in the hints {@link Source#resolve} declares, not with every batch.
 *
 * @param columns the column names, distinct, in the order each row holds their values
 * @param rows    each row's values; the arrays belong to the batch and are not kept after the sink returns
 * @param origins where the row at an index of the batch came from (table and row number), built only when asked for
 */
public record RowBatch(List<String> columns, List<Object[]> rows, IntFunction<String> origins) {
    public RowBatch {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        if (new HashSet<>(columns).size() != columns.size()) {
            throw new IllegalArgumentException("the columns of a row batch repeat a name: " + columns);
        }
        for (Object[] row : rows) {
            if (row.length != columns.size()) {
                throw new IllegalArgumentException("a row of " + row.length + " values in a batch of " + columns.size() + " columns");
            }
        }
    }

    /** The row at {@code index} as the item a source would hand over for it. */
    public Map<String, Object> item(int index) {
        Object[] values = rows.get(index);
        Map<String, Object> item = LinkedHashMap.newLinkedHashMap(columns.size());
        for (int column = 0; column < columns.size(); column++) {
            item.put(columns.get(column), values[column]);
        }
        return item;
    }
}
