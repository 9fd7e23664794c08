package io.sluice.catalog;

/** What started a run. */
public enum Trigger {
    API,
    SCHEDULE,
    CLI,
    RETRY
}
