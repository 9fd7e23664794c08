package io.sluice.schema;

/** Which end of a column's values wins. */
public enum SortOrder {
    ASCENDING,
    DESCENDING
}
