package io.sluice.normalize;

/** What normalizing did to one table's rows. */
public record TableCounts(String table, long rows, long discardedRows, long discardedValues, long rejectedRecords) {
}
