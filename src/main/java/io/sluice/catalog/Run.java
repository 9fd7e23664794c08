package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One execution of a pipeline, as stored.
 *
 * @param pendingReason while PENDING, what the run waits for (empty when nothing holds it); cleared when it starts
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
        String pendingReason) {
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
    }

    public Run withState(RunState newState) {
        return new Run(id, pipeline, newState, trigger, requestId, createTime, startTime, endTime, error, attempt, summary, refresh,
                pendingReason);
    }

    /** The run PENDING, waiting for what {@code reason} says. */
    public Run waiting(String reason) {
        return new Run(id, pipeline, RunState.PENDING, trigger, requestId, createTime, startTime, endTime, error, attempt, summary,
                refresh, reason);
    }

    public Run started(Instant time) {
        return new Run(id, pipeline, RunState.RUNNING, trigger, requestId, createTime, Optional.of(time), endTime, error,
                attempt, summary, refresh, "");
    }

    /** The run as it starts attempt {@code number}, RUNNING again. */
    public Run attempting(int number) {
        return new Run(id, pipeline, RunState.RUNNING, trigger, requestId, createTime, startTime, endTime, error, number, summary,
                refresh, pendingReason);
    }

    public Run ended(RunState finalState, Instant time, String reason, Optional<RunSummary> runSummary) {
        return new Run(id, pipeline, finalState, trigger, requestId, createTime, startTime, Optional.of(time), reason,
                attempt, runSummary, refresh, "");
    }
}
