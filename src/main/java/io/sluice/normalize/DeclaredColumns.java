package io.sluice.normalize;

import io.sluice.schema.Column;
import io.sluice.schema.ColumnHint;
import io.sluice.schema.DataType;
import io.sluice.schema.Naming;
import io.sluice.schema.TableHints;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the spec says about the columns of a resource's root table: declared types, keys and column hints. */
final class DeclaredColumns {
    private final Map<String, ColumnHint> declared = new LinkedHashMap<>();
    private final Set<String> primaryKey;
    private final Set<String> mergeKey;

    DeclaredColumns(TableHints hints, Naming naming) {
        hints.columns().forEach(hint -> declared.put(naming.identifier(hint.name()), hint));
        this.primaryKey = identifiers(hints.primaryKey(), naming);
        this.mergeKey = identifiers(hints.mergeKey(), naming);
    }

    /** The spec declares this column of the root table, so its values are read as the declared type. */
    boolean isDeclared(String column) {
        return declared.containsKey(column);
    }

    /** A field the spec declares JSON keeps its nested value whole. */
    boolean isJson(String column) {
        ColumnHint hint = declared.get(column);
        return hint != null && hint.type().filter(type -> type == DataType.JSON).isPresent();
    }

    /** The columns whose type the spec declares, which a new root table has before any value arrives. */
    List<Column> typedColumns() {
        return declared.entrySet().stream()
                .filter(entry -> entry.getValue().type().isPresent())
                .map(entry -> column(entry.getKey(), entry.getValue().type().orElseThrow()))
                .toList();
    }

    /** A new column of the root table, with what the spec declares about it. */
    Column column(String name, DataType inferred) {
        ColumnHint hint = declared.get(name);
        if (hint == null) {
            return new Column(name, inferred, true, flags(name), 0, 0, Optional.empty());
        }
        return new Column(name, hint.type().orElse(inferred), hint.nullable().orElse(true), flags(name), hint.precision(),
                hint.scale(), Optional.empty());
    }

    /**
     * The hints the spec gives a column of the root table. A stored column takes them too, so that a key or merge
     * hint added to the spec later applies from the next load on.
     */
    Set<Column.Hint> flags(String name) {
        Set<Column.Hint> flags = EnumSet.noneOf(Column.Hint.class);
        if (primaryKey.contains(name)) {
            flags.add(Column.Hint.PRIMARY_KEY);
        }
        if (mergeKey.contains(name)) {
            flags.add(Column.Hint.MERGE_KEY);
        }
        ColumnHint hint = declared.get(name);
        if (hint != null) {
            if (hint.unique()) {
                flags.add(Column.Hint.UNIQUE);
            }
            if (hint.partition()) {
                flags.add(Column.Hint.PARTITION);
            }
            if (hint.hardDelete()) {
                flags.add(Column.Hint.HARD_DELETE);
            }
            hint.dedupSort().ifPresent(order -> flags.add(switch (order) {
                case ASCENDING -> Column.Hint.DEDUP_SORT_ASCENDING;
                case DESCENDING -> Column.Hint.DEDUP_SORT_DESCENDING;
            }));
        }
        return flags;
    }

    private static Set<String> identifiers(List<String> names, Naming naming) {
        return Set.copyOf(names.stream().map(naming::identifier).toList());
    }
}
