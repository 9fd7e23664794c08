package io.sluice.schema;

/**
 * The column types Sluice infers and loads. Promotion only ever widens: a column never changes to a type that
 * cannot hold every value it already holds.
 */
public enum DataType {
    BOOL,
    BIGINT,
    DOUBLE,
    DECIMAL,
    TEXT,
    TIMESTAMP,
    DATE,
    TIME,
    JSON,
    BINARY;

    /** The narrowest type that holds values of both this type and {@code other}. */
    public DataType widen(DataType other) {
        if (this == other) {
            return this;
        }
        if (isNumeric() && other.isNumeric()) {
            return this == DOUBLE || other == DOUBLE ? DOUBLE : DECIMAL;
        }
        if ((this == DATE && other == TIMESTAMP) || (this == TIMESTAMP && other == DATE)) {
            return TIMESTAMP;
        }
        return TEXT;
    }

    public boolean isNumeric() {
        return this == BIGINT || this == DOUBLE || this == DECIMAL;
    }
}
