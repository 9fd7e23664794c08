package io.sluice.runs;

import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.RunSummary;
import io.sluice.pipeline.RetryPolicy;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.TypedGuard;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Applies a pipeline's retry policy to the attempts of one run, with a SmallRye Fault Tolerance guard: a failed
 * attempt is tried again only when its failure is transient and nobody stopped the run (a cancel, the timeout), after
 * the policy's delay. Each retry is told to the run's watchers before the wait — a warning with the attempt, the delay
 * and the cause, and the state RETRYING — and the run is RUNNING again, its attempt counted, when the next one starts.
 */
final class RetryGuard {
    private final RetryPolicy policy;
    private final RunChannel channel;
    private final TypedGuard<RunSummary> guard;
    /** The attempt under way; attempts of one run follow each other on its thread. */
    private int attempt;

    RetryGuard(RetryPolicy policy, RunChannel channel, RunControl control) {
        this.policy = policy;
        this.channel = channel;
        // A retried run goes on counting from the attempt it was given; the policy allows what is left of its attempts.
        this.attempt = channel.run().attempt();
        this.guard = TypedGuard.create(RunSummary.class)
                .withDescription("retries of run " + channel.run().id())
                .withRetry()
                .maxRetries(Math.max(0, policy.maxAttempts() - attempt))
                .delay(policy.backoff().toMillis(), ChronoUnit.MILLIS)
                // Not bounded here: the pipeline's timeout bounds the whole run, waits included.
                .maxDuration(0, ChronoUnit.MILLIS)
                .whenException(failure -> !control.stopped() && Failures.transientFailure(failure))
                .withCustomBackoff().strategy(Announced::new).done()
                .beforeRetry(() -> channel.change(this::attempting, attemptText()))
                .done()
                .build();
    }

    /** Runs {@code attempt} until it succeeds or the policy gives up; throws the last failure then. */
    RunSummary run(Callable<RunSummary> attempt) throws Exception {
        return guard.call(() -> {
            RunSummary summary = attempt.call();
            // Committed: a stop asked for now comes too late, and must not turn this run into a cancelled one (the
            // guard takes a thread interrupted by then for an interrupted attempt).
            Thread.interrupted();
            return summary;
        });
    }

    /** "attempt 2 of 3": the attempt under way. */
    String attemptText() {
        return "attempt " + attempt + " of " + policy.maxAttempts();
    }

    /** Whether the run has been retried, so that its failure is worth telling by attempt. */
    boolean retried() {
        return attempt > 1;
    }

    /** The run as the next attempt starts; one being cancelled stays CANCELLING (the attempt then stops at once). */
    private Run attempting(Run current) {
        Run counted = current.attempting(attempt);
        return current.state() == RunState.RETRYING ? counted : counted.withState(current.state());
    }

    /** The policy's delays; the guard asks for one only when it will retry, so this is where a retry is told. */
    private final class Announced implements CustomBackoffStrategy {
        @Override
        public long nextDelayInMillis(Throwable cause) {
            attempt++;
            Duration delay = policy.delayBefore(attempt, ThreadLocalRandom.current().nextDouble());
            String text = attemptText() + " in " + String.format(Locale.ROOT, "%.1fs", delay.toMillis() / 1000.0) + " after: "
                    + Failures.describe(cause);
            channel.publish(new RunEvent.LogLine(RunEvent.LogLine.Level.WARN, text));
            channel.change(current -> current.state() == RunState.RUNNING ? current.withState(RunState.RETRYING) : current,
                    "waiting to retry");
            return delay.toMillis();
        }
    }
}
