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
    CRASHED;

    /** A run in a terminal state never changes state again. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED || this == CRASHED;
    }
}
