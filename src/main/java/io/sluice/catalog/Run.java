package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One execution of a pipeline, as stored.
 *
 * @param pendingReason while PENDING, what the run waits for (empty when nothing holds it); cleared when it starts
 * @param resumedBy the later run that committed this run's load package when this run could not ("" until then)
 */
public record Run(
        String id,
        String pipeline,
        RunState state,
        Trigger trigger,
        String requestId,
        Instant createTime,
        Optional<Instant> startTime,
        Optional<Instant> endTime,
        String error,
        int attempt,
        Optional<RunSummary> summary,
        Optional<Refresh> refresh,
        String pendingReason,
        String resumedBy) {
    public Run {
        requireNonNull(id, "id is null");
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(state, "state is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(requestId, "requestId is null");
        requireNonNull(createTime, "createTime is null");
        requireNonNull(startTime, "startTime is null");
        requireNonNull(endTime, "endTime is null");
        requireNonNull(error, "error is null");
        requireNonNull(summary, "summary is null");
        requireNonNull(refresh, "refresh is null");
        requireNonNull(pendingReason, "pendingReason is null");
        requireNonNull(resumedBy, "resumedBy is null");
    }

    public Run withState(RunState newState) {
        return new Run(id, pipeline, newState, trigger, requestId, createTime, startTime, endTime, error, attempt, summary, refresh,
                pendingReason, resumedBy);
    }

    /** The run PENDING, waiting for what {@code reason} says. */
    public Run waiting(String reason) {
        return new Run(id, pipeline, RunState.PENDING, trigger, requestId, createTime, startTime, endTime, error, attempt, summary,
                refresh, reason, resumedBy);
    }

    public Run started(Instant time) {
        return new Run(id, pipeline, RunState.RUNNING, trigger, requestId, createTime, Optional.of(time), endTime, error,
                attempt, summary, refresh, "", resumedBy);
    }

    /** The run as it starts attempt {@code number}, RUNNING again. */
    public Run attempting(int number) {
        return new Run(id, pipeline, RunState.RUNNING, trigger, requestId, createTime, startTime, endTime, error, number, summary,
                refresh, pendingReason, resumedBy);
    }

    /** The ended run going on with its next attempt: PENDING again, its end, error and summary cleared. */
    public Run reopened() {
        return new Run(id, pipeline, RunState.PENDING, trigger, requestId, createTime, startTime, Optional.empty(), "", attempt + 1,
                Optional.empty(), refresh, "", resumedBy);
    }

    public Run ended(RunState finalState, Instant time, String reason, Optional<RunSummary> runSummary) {
        return new Run(id, pipeline, finalState, trigger, requestId, createTime, startTime, Optional.of(time), reason,
                attempt, runSummary, refresh, "", resumedBy);
    }
}
