package io.sluice.schema;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Optional;

/** One way a run changed the schema. */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(SchemaChange.NewTable.class),
    @JsonSubTypes.Type(SchemaChange.NewColumn.class),
    @JsonSubTypes.Type(SchemaChange.TypePromoted.class),
    @JsonSubTypes.Type(SchemaChange.NewVariant.class)
})
public sealed interface SchemaChange {
    String table();

    record NewTable(String table, Optional<String> parent) implements SchemaChange {
        public NewTable {
            requireNonNull(table, "table is null");
            requireNonNull(parent, "parent is null");
        }
    }

    record NewColumn(String table, String column, DataType type) implements SchemaChange {
    }

    record TypePromoted(String table, String column, DataType from, DataType to) implements SchemaChange {
    }

    /** Values that fit neither the column nor a safe promotion of it went to a variant column. */
    record NewVariant(String table, String column, String variant, DataType type) implements SchemaChange {
    }
}
