package io.sluice.schema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a load's schema lands on the schema stored when it commits, which another load of the pipeline may have
 * changed since this one was sealed: what the stored schema has and the load lacks is kept, what the load adds is
 * added, and a column both have takes the load's hints with the wider of the two types (never narrowing what a
 * table already holds), nullable if either is. The result is what running the two loads one after the other would
 * store, except that values of a conflicting type widen the column instead of going to a variant column: a
 * package cannot be normalized again at commit, and widening loses nothing.
 */
public final class SchemaMerge {
    private SchemaMerge() {
    }

    /**
     * @param stored the tables stored now
     * @param loaded the tables as the load leaves them
     * @param dropped tables the load drops (a refresh): they leave the stored schema, unless the load brings them anew
     */
    public static List<TableSchema> merge(List<TableSchema> stored, List<TableSchema> loaded, Collection<String> dropped) {
        Map<String, TableSchema> tables = new LinkedHashMap<>();
        stored.stream().filter(table -> !dropped.contains(table.name())).forEach(table -> tables.put(table.name(), table));
        for (TableSchema table : loaded) {
            TableSchema current = tables.get(table.name());
            tables.put(table.name(), current == null ? table : merge(current, table));
        }
        return List.copyOf(tables.values());
    }

    private static TableSchema merge(TableSchema stored, TableSchema loaded) {
        List<Column> columns = new ArrayList<>();
        for (Column column : stored.columns()) {
            Optional<Column> ofLoad = loaded.column(column.name());
            columns.add(ofLoad.map(theirs -> merge(column, theirs)).orElse(column));
        }
        loaded.columns().stream().filter(column -> stored.column(column.name()).isEmpty()).forEach(columns::add);
        // A source field named once keeps its column: the stored names win over names the load chose apart from them.
        Map<String, String> sourceNames = new LinkedHashMap<>(loaded.sourceNames());
        sourceNames.putAll(stored.sourceNames());
        return new TableSchema(loaded.name(), loaded.parent(), loaded.resource(), columns, sourceNames);
    }

    private static Column merge(Column stored, Column loaded) {
        DataType type = stored.type().widen(loaded.type());
        boolean sameType = type == loaded.type();
        return new Column(loaded.name(), type, stored.nullable() || loaded.nullable(), loaded.hints(),
                sameType ? loaded.precision() : stored.precision(), sameType ? loaded.scale() : stored.scale(), loaded.variantOf());
    }
}
