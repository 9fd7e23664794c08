package io.sluice.schema;

import static java.util.Objects.requireNonNull;

/**
 * Contract modes per entity: {@code tables} for new tables (nested ones too), {@code columns} for new columns of
 * tables the schema already has, {@code dataType} for values that fit neither their column nor a safe promotion.
 */
public record SchemaContract(ContractMode tables, ContractMode columns, ContractMode dataType) {
    public static final SchemaContract EVOLVE = new SchemaContract(ContractMode.EVOLVE, ContractMode.EVOLVE, ContractMode.EVOLVE);

    public SchemaContract {
        requireNonNull(tables, "tables is null");
        requireNonNull(columns, "columns is null");
        requireNonNull(dataType, "dataType is null");
    }

    public boolean freezesAnything() {
        return tables == ContractMode.FREEZE || columns == ContractMode.FREEZE || dataType == ContractMode.FREEZE;
    }
}
