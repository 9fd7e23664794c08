package io.sluice.schema;

/**
 * The one CSV dialect staged files are written in and read back with, so that writer and loader cannot drift:
 * comma-separated, no header, text always double-quoted (quotes doubled inside), NULL an empty unquoted field.
 * Quoting every text value is what lets an empty string and NULL stay apart.
 */
public final class StagedCsv {
    public static final char DELIMITER = ',';
    public static final char QUOTE = '"';

    private StagedCsv() {
    }
}
