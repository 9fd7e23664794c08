package io.sluice.runs;

import io.sluice.catalog.Run;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A run observer for tests: once a run of the pipeline it is armed for publishes the event it waits for, it acts on
 * the run there and then, on the thread that published it — so a test cancels a run exactly in the stage it aims at.
 * Unarmed, it does nothing.
 */
@ApplicationScoped
public class StageTrap implements RunObserver {
    private record Armed(String pipeline, Predicate<RunEvent> when, Consumer<Run> action) {
    }

    private final AtomicReference<Armed> armed = new AtomicReference<>();

    /** Acts once, on the first event of a run of {@code pipeline} that {@code when} accepts. */
    void arm(String pipeline, Predicate<RunEvent> when, Consumer<Run> action) {
        armed.set(new Armed(pipeline, when, action));
    }

    /** Whether it has acted since it was armed. */
    boolean sprung() {
        return armed.get() == null;
    }

    @Override
    public void published(Run run, RunEvent event) {
        Armed current = armed.get();
        if (current != null && current.pipeline().equals(run.pipeline()) && current.when().test(event)
                && armed.compareAndSet(current, null)) {
            current.action().accept(run);
        }
    }
}
