package io.sluice.catalog;

/** Where a run is in its life. */
public enum RunState {
    SCHEDULED,
    PENDING,
    RUNNING,
    RETRYING,
    COMPLETED,
    FAILED,
    CANCELLING,
    CANCELLED,
    CRASHED,
    /** Triggered while its pipeline had as many runs active as it allows, with on_overlap SKIP: it never ran. */
    SKIPPED;

    /** A run in a terminal state never changes state again. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED || this == CRASHED || this == SKIPPED;
    }
}
