package io.sluice.runs;

import io.sluice.catalog.RunState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** How a run is stopped from outside: a flag the stages check, and hooks that interrupt blocking work. */
final class RunControl {
    private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
    private volatile Stop stop;
    private volatile Thread thread;

    record Stop(RunState finalState, String reason) {
    }

    void runsOn(Thread runThread) {
        this.thread = runThread;
    }

    /** Registers a way to interrupt blocking work, e.g. a statement in progress; runs at once if already stopped. */
    void onCancel(Runnable hook) {
        onCancel.add(hook);
        if (stop != null) {
            hook.run();
        }
    }

    /** Asks the run to stop; the first reason given wins. */
    void stop(RunState finalState, String reason) {
        synchronized (this) {
            if (stop != null) {
                return;
            }
            stop = new Stop(finalState, reason);
        }
        onCancel.forEach(Runnable::run);
        Thread runThread = thread;
        if (runThread != null) {
            runThread.interrupt();
        }
    }

    boolean stopped() {
        return stop != null;
    }

    Stop stopReason() {
        return stop;
    }

    void checkStopped() {
        Stop current = stop;
        if (current != null) {
            throw new RunStoppedException(current.reason());
        }
    }

    static final class RunStoppedException extends RuntimeException {
        RunStoppedException(String reason) {
            super(reason);
        }
    }
}
