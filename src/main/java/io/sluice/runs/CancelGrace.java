package io.sluice.runs;

import io.sluice.catalog.RunState;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gives a run asked to stop the time to reach its next safe point ({@code sluice.runs.cancel-grace}); once the grace is
 * over its work is cut and its thread interrupted — except inside a commit, which is never cut. A run that only waits
 * (PENDING for a slot, RETRYING for its next attempt) has nothing under way, and is cut at once.
 */
final class CancelGrace {
    private final Duration grace;
    private final ScheduledExecutorService timer;

    CancelGrace(Duration grace, ScheduledExecutorService timer) {
        this.grace = grace;
        this.timer = timer;
    }

    /** Asks the run, now in {@code state}, to stop and end {@code finalState}; a run asked before keeps its first reason. */
    void stop(RunControl control, RunState state, RunState finalState, String reason) {
        if (!control.request(finalState, reason)) {
            return;
        }
        if (state == RunState.PENDING || state == RunState.RETRYING) {
            control.cut();
            return;
        }
        timer.schedule(control::cut, grace.toMillis(), TimeUnit.MILLISECONDS);
    }
}
