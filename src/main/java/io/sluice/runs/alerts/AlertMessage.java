package io.sluice.runs.alerts;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import java.time.Instant;
import java.util.Optional;

/**
 * What every alert says, whatever its channel: the pipeline, the run, the state it entered, its error, its attempt and
 * times, and the commands that show the run and its logs.
 *
 * @param error why the run failed or was stopped; empty when nothing went wrong
 */
record AlertMessage(String pipeline, String runId, RunState state, String error, int attempt, Instant createTime,
                    Optional<Instant> startTime, Optional<Instant> endTime) {
    AlertMessage {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(state, "state is null");
        requireNonNull(error, "error is null");
        requireNonNull(createTime, "createTime is null");
        requireNonNull(startTime, "startTime is null");
        requireNonNull(endTime, "endTime is null");
    }

    /** The run as it is once it entered the state its alerts are sent on. */
    static AlertMessage of(Run run) {
        return new AlertMessage(run.pipeline(), run.id(), run.state(), run.error(), run.attempt(), run.createTime(),
                run.startTime(), run.endTime());
    }

    /** One line: which run of which pipeline entered which state. */
    String headline() {
        return "Run " + runId + " of pipeline " + pipeline + " is " + state;
    }

    /** The command that shows the run's log lines. */
    String logsCommand() {
        return "sluice runs logs " + runId;
    }

    /** The command that shows the run: its state, error, times and rows. */
    String runCommand() {
        return "sluice runs get " + runId;
    }

    /** Whether the state is bad news: a chat card shows it in red. */
    boolean failed() {
        return switch (state) {
            case FAILED, CRASHED -> true;
            case SCHEDULED, PENDING, RUNNING, RETRYING, COMPLETED, CANCELLING, CANCELLED, SKIPPED -> false;
        };
    }
}
