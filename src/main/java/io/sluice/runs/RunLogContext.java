package io.sluice.runs;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Which run the current thread works for, so that what the run's code logs becomes the run's log (see
 * {@link RunLogHandler}): bound on the run's thread for the whole run, and carried onto the threads the run starts.
 */
final class RunLogContext {
    private static final ScopedValue<RunChannel> CURRENT = ScopedValue.newInstance();

    private RunLogContext() {
    }

    /** Does {@code work} on this thread as the run's. */
    static void runAs(RunChannel channel, Runnable work) {
        ScopedValue.where(CURRENT, channel).run(work);
    }

    /**
     * The task, done as the current thread's run (if it works for one) on whatever thread does it: a scoped value is not
     * inherited by the threads of an executor.
     */
    static <T> Callable<T> carried(Callable<T> task) {
        if (!CURRENT.isBound()) {
            return task;
        }
        RunChannel channel = CURRENT.get();
        return () -> ScopedValue.where(CURRENT, channel).call(task::call);
    }

    /** The run the current thread works for. */
    static Optional<RunChannel> current() {
        return CURRENT.isBound() ? Optional.of(CURRENT.get()) : Optional.empty();
    }
}
