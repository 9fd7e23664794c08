package io.sluice.schema;

/** Text values recognised as temporal types. */
public enum Detection {
    ISO_TIMESTAMP,
    ISO_DATE,
    ISO_TIME
}
