package io.sluice.schema;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** Every table a pipeline loads, at one version. Version 0 is the empty schema of a pipeline never loaded. */
public record Schema(String pipeline, long version, List<TableSchema> tables) {
    public Schema {
        requireNonNull(pipeline, "pipeline is null");
        tables = List.copyOf(tables);
    }

    public static Schema empty(String pipeline) {
        return new Schema(pipeline, 0, List.of());
    }

    public Optional<TableSchema> table(String name) {
        return tables.stream().filter(table -> table.name().equals(name)).findFirst();
    }
}
