package io.sluice.pipeline;

/** The run states an alert can be sent on: a run entering one of them sends the pipeline's alerts that name it. */
public enum AlertState {
    RUNNING,
    RETRYING,
    COMPLETED,
    FAILED,
    CANCELLING,
    CANCELLED,
    CRASHED,
    SKIPPED
}
