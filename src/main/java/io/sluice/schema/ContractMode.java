package io.sluice.schema;

/** What happens to data that would change the schema. */
public enum ContractMode {
    /** The schema changes to fit the data. */
    EVOLVE,
    /** The run fails, naming the record and the path; nothing is loaded. */
    FREEZE,
    /** The row is dropped and counted. */
    DISCARD_ROW,
    /** The value is dropped (the row keeps a null) and counted. */
    DISCARD_VALUE
}
