package io.sluice.normalize;

import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import io.sluice.schema.Detection;
import io.sluice.schema.Naming;
import io.sluice.schema.SchemaChange;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Puts a scalar value into its column, evolving the table as the contract allows: a first value creates the
 * column with its inferred type, a safe promotion widens it, and a value that fits neither goes to a variant
 * column ({@code price__v_text}), so no value is lost or silently coerced.
 */
final class ValueColumns {
    private final Set<Detection> detections;
    private final Naming naming;
    private final DeclaredColumns declared;
    private final Contract contract;
    private final NormalizeListener listener;

    ValueColumns(Set<Detection> detections, Naming naming, DeclaredColumns declared, Contract contract, NormalizeListener listener) {
        this.detections = detections;
        this.naming = naming;
        this.declared = declared;
        this.contract = contract;
        this.listener = listener;
    }

    /** Sets the value of {@code node} in the table's current row; false when the contract discards the row. */
    boolean put(TableState table, PathNode node, Object value, Supplier<String> origin) {
        if (value instanceof String && node.hasColumn() && table.column(node.column()).type() == DataType.TEXT) {
            // What Values.fit gives a string in a text column whatever it looks like: the string. Finding its type first
            // (a text that starts with a digit is tried as a date) took a sixth of the normalizing thread's samples
            // while it read a database table.
            table.set(node.column(), value);
            return true;
        }
        DataType type = Values.typeOf(value, detections);
        if (!node.hasColumn()) {
            Contract.Verdict verdict = newColumn(table, node, type, origin);
            if (verdict != Contract.Verdict.KEEP) {
                return discarded(table, verdict);
            }
        }
        int index = node.column();
        Column column = table.column(index);
        boolean isDeclared = table.isRoot() && declared.isDeclared(column.name());
        Object fitted = Values.fit(value, type, column, isDeclared);
        if (fitted != Values.NO_FIT) {
            table.set(index, fitted);
            return true;
        }
        DataType promoted = isDeclared ? null : Values.promotion(column.type(), type);
        if (promoted != null) {
            Contract.Verdict verdict = contract.dataType(table.name, node.sourcePath, "type change of column '" + column.name()
                    + "' from " + column.type() + " to " + promoted, origin);
            if (verdict != Contract.Verdict.KEEP) {
                return discarded(table, verdict);
            }
            table.changeType(index, promoted);
            listener.schemaChanged(new SchemaChange.TypePromoted(table.name, column.name(), column.type(), promoted));
            table.set(index, Values.fit(value, type, table.column(index), false));
            return true;
        }
        return putVariant(table, node, column, value, type, origin);
    }

    /** A value that fits neither its column nor a promotion of it goes to the column's variant for its type. */
    private boolean putVariant(TableState table, PathNode node, Column column, Object value, DataType type, Supplier<String> origin) {
        Integer variant = node.variant(type);
        String variantName = naming.variant(column.name(), type);
        if (variant == null && table.indexOf(variantName) >= 0) {
            variant = table.indexOf(variantName);
            node.addVariant(type, variant);
        }
        if (variant == null) {
            Contract.Verdict verdict = contract.dataType(table.name, node.sourcePath, type + " value for " + column.type()
                    + " column '" + column.name() + "'", origin);
            if (verdict != Contract.Verdict.KEEP) {
                return discarded(table, verdict);
            }
            variant = table.addVariantColumn(new Column(variantName, type, true, Set.of(), 0, 0, Optional.of(column.name())),
                    node.sourcePath, type);
            node.addVariant(type, variant);
            listener.schemaChanged(new SchemaChange.NewVariant(table.name, column.name(), variantName, type));
        }
        Object stored = Values.fit(value, type, table.column(variant), false);
        table.set(variant, stored == Values.NO_FIT ? value.toString() : stored);
        return true;
    }

    /** Binds the path to its column, new or found in the table; the verdict says whether the contract let it in. */
    private Contract.Verdict newColumn(TableState table, PathNode node, DataType valueType, Supplier<String> origin) {
        String name = columnName(table, node);
        int existing = table.indexOf(name);
        if (existing >= 0) {
            node.bindColumn(existing);
            return Contract.Verdict.KEEP;
        }
        if (table.stored) {
            Contract.Verdict verdict = contract.newColumn(table.name, node.sourcePath, name, origin);
            if (verdict != Contract.Verdict.KEEP) {
                return verdict;
            }
        }
        Column column = table.isRoot() ? declared.column(name, valueType) : new Column(name, valueType);
        node.bindColumn(table.addColumn(column, node.sourcePath));
        listener.schemaChanged(new SchemaChange.NewColumn(table.name, name, column.type()));
        return Contract.Verdict.KEEP;
    }

    /** The column name of a path: as stored, or its identifier, or (taken by another path) a disambiguated one. */
    private String columnName(TableState table, PathNode node) {
        String storedName = table.storedName(node.sourcePath);
        if (storedName != null) {
            return storedName;
        }
        return table.claim(node.columnName, node.sourcePath) ? node.columnName : naming.disambiguated(node.columnName, node.sourcePath);
    }

    /** Counts a discarded value; a discarded row is counted by whoever writes rows. */
    private static boolean discarded(TableState table, Contract.Verdict verdict) {
        return switch (verdict) {
            case KEEP -> true;
            case DISCARD_ROW -> false;
            case DISCARD_VALUE -> {
                table.countDiscardedValue();
                yield true;
            }
        };
    }
}
