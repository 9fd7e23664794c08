package io.sluice.schema;

/**
 * The one CSV dialect staged files are written in and read back with, so that writer and loader cannot drift:
 * comma-separated, no header, text always double-quoted (quotes doubled inside), NULL an empty unquoted field.
 * Quoting every text value is what lets an empty string and NULL stay apart.
 */
public final class StagedCsv {
    public static final char DELIMITER = ',';
    public static final char QUOTE = '"';
    /**
     * The bytes after which a table's staged file (or a source's copy of its rows) ends and the next begins. DuckDB's CSV
     * reader buffers a whole file up to its line limit (256 MiB, for huge values): a 1,000,000-row part of 133 MiB was
     * held whole during the load. Parts of 32 MiB let the load run within DuckDB's memory limit at the same CPU time
     * (bench/RESULTS-perf.md). A longer row still fits: the part ends after it. A part of short lines only is now read
     * in small buffers (DuckDbDestination); one with a long line still whole.
     */
    public static final long PART_SIZE = 32L << 20;

    private StagedCsv() {
    }
}
