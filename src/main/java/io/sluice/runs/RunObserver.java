package io.sluice.runs;

import io.sluice.catalog.Run;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.source.RequestListener;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Told what happens in every run the executor starts, as it happens — for metrics and traces, which watch the run's
 * one event stream instead of counting inside the engine. Observers are CDI beans; they are called on the run's
 * threads, under its channel's lock, so they must be quick and must not throw.
 */
public interface RunObserver extends RequestListener {
    RunObserver NONE = new RunObserver() {
    };

    /** A run was created PENDING: called on the thread that triggered it (a gRPC call's, the scheduler's, the CLI's). */
    default void triggered(Run run) {
    }

    /**
     * A run of {@code spec} was created PENDING, as {@link #triggered(Run)} says; {@code record} adds an event to the
     * run's stored history, also once the run has ended (for work an observer does on the run after the fact, such as
     * an alert it could not send). The executor calls this one; by default it is {@link #triggered(Run)}.
     */
    default void triggered(Run run, PipelineSpec spec, Consumer<RunEvent> record) {
        triggered(run);
    }

    /** An event of the run, with the run as it is once the event happened. */
    default void published(Run run, RunEvent event) {
    }

    @Override
    default void requested(String host, OptionalInt status, Duration elapsed) {
    }

    /** Every one of {@code observers}, told each thing in turn. */
    static RunObserver all(List<RunObserver> observers) {
        List<RunObserver> each = List.copyOf(observers);
        return new RunObserver() {
            @Override
            public void triggered(Run run) {
                each.forEach(observer -> observer.triggered(run));
            }

            @Override
            public void triggered(Run run, PipelineSpec spec, Consumer<RunEvent> record) {
                each.forEach(observer -> observer.triggered(run, spec, record));
            }

            @Override
            public void published(Run run, RunEvent event) {
                each.forEach(observer -> observer.published(run, event));
            }

            @Override
            public void requested(String host, OptionalInt status, Duration elapsed) {
                each.forEach(observer -> observer.requested(host, status, elapsed));
            }
        };
    }
}
