package io.sluice.cli;

import io.sluice.schema.SchemaChange;

/** Says a schema change in a line. */
final class SchemaChanges {
    private SchemaChanges() {
    }

    static String describe(SchemaChange change) {
        return switch (change) {
            case SchemaChange.NewTable table -> "new table " + table.table()
                    + table.parent().map(parent -> " (nested in " + parent + ")").orElse("");
            case SchemaChange.NewColumn column -> "new column " + column.table() + "." + column.column() + " " + column.type();
            case SchemaChange.TypePromoted promoted -> "column " + promoted.table() + "." + promoted.column() + " "
                    + promoted.from() + " -> " + promoted.to();
            case SchemaChange.NewVariant variant -> "variant column " + variant.table() + "." + variant.variant() + " "
                    + variant.type() + " for values that do not fit " + variant.column();
        };
    }
}
