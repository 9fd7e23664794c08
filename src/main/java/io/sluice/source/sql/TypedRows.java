package io.sluice.source.sql;

import io.sluice.schema.ColumnHint;
import io.sluice.schema.TableHints;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a JDBC result as items whose columns keep the types the database gives them: for the SQL source, and
 * for any source whose rows a driver serves (the filesystem source reads Parquet files through DuckDB).
 */
public final class TypedRows {
    private final List<SqlColumn> columns;

    TypedRows(List<SqlColumn> columns) {
        this.columns = List.copyOf(columns);
    }

    /** The columns of a result, as its driver types them. */
    public static TypedRows of(ResultSetMetaData metaData) throws SQLException {
        return new TypedRows(ColumnTypes.of(metaData));
    }

    /** Each column as the spec would declare it: its type, and a decimal's precision and scale. */
    public List<ColumnHint> hints() {
        return columns.stream().map(SqlColumn::hint).toList();
    }

    /** The current row of {@code row} as an item. */
    public Map<String, Object> item(ResultSet row) throws SQLException {
        return item(values(row));
    }

    /** A row's {@link #values} as an item: of columns that share a name, the item keeps the last. */
    Map<String, Object> item(Object[] values) {
        Map<String, Object> item = LinkedHashMap.newLinkedHashMap(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            item.put(columns.get(i).name(), values[i]);
        }
        return item;
    }

    /** The column names, in the order {@link #values} holds their values. */
    List<String> names() {
        return columns.stream().map(SqlColumn::name).toList();
    }

    /** The current row of {@code row} as values in column order, of the kinds {@link #item} holds. */
    Object[] values(ResultSet row) throws SQLException {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = columns.get(i).kind().read(row, i + 1);
        }
        return values;
    }

    /**
     * {@code hints} with the columns a source found declared in them: a column the spec declares keeps what the spec
     * says, and takes the found type (with its precision and scale) where the spec gives none.
     */
    public static TableHints declaring(TableHints hints, List<ColumnHint> found) {
        Map<String, ColumnHint> declared = new LinkedHashMap<>();
        hints.columns().forEach(hint -> declared.put(hint.name(), hint));
        List<ColumnHint> columns = new ArrayList<>();
        for (ColumnHint fromSource : found) {
            ColumnHint fromSpec = declared.remove(fromSource.name());
            columns.add(fromSpec == null ? fromSource : fromSpec.type().isPresent() ? fromSpec : new ColumnHint(fromSpec.name(),
                    fromSource.type(), fromSpec.nullable(), fromSpec.unique(), fromSource.precision(), fromSource.scale(),
                    fromSpec.partition(), fromSpec.hardDelete(), fromSpec.dedupSort()));
        }
        columns.addAll(declared.values());
        return new TableHints(hints.writeDisposition(), hints.primaryKey(), hints.mergeKey(), columns,
                hints.maxNestingDepth(), hints.contract(), hints.detections(), hints.replaceStrategy(), hints.mergeStrategy());
    }
}
