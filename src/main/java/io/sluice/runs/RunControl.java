package io.sluice.runs;

import io.sluice.catalog.RunState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

/**
 * How a run is stopped from outside: a flag the stages check at their safe points (between pages, files, jobs and
 * packages), and, when the run must stop now, hooks that cut blocking work and an interrupt. Cutting waits while a
 * commit is under way: a commit is never cut, so a run ends with all of its package committed or none of it.
 */
final class RunControl {
    private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
    private volatile Stop stop;
    private volatile Thread thread;
    /** Guarded by this: a commit under way, and whether cutting was asked for meanwhile. */
    private boolean committing;
    private boolean cutAfterCommit;
    private volatile boolean cut;
    private boolean ended;

    record Stop(RunState finalState, String reason) {
    }

    void runsOn(Thread runThread) {
        this.thread = runThread;
    }

    /** Registers a way to interrupt blocking work, e.g. a statement in progress; runs at once if already cut. */
    void onCancel(Runnable hook) {
        onCancel.add(hook);
        if (cut) {
            hook.run();
        }
    }

    /** Asks the run to stop now (a timeout, the service stopping): it is cut at once, or as soon as its commit ends. */
    void stop(RunState finalState, String reason) {
        request(finalState, reason);
        cut();
    }

    /**
     * Asks the run to stop at its next safe point; the first reason given wins.
     *
     * @return whether this call asked first
     */
    synchronized boolean request(RunState finalState, String reason) {
        if (stop != null) {
            return false;
        }
        stop = new Stop(finalState, reason);
        return true;
    }

    /** Cuts the run's blocking work and interrupts its thread; deferred to the end of a commit under way. */
    void cut() {
        synchronized (this) {
            if (stop == null || cut || ended) {
                return;
            }
            if (committing) {
                cutAfterCommit = true;
                return;
            }
            cut = true;
        }
        onCancel.forEach(Runnable::run);
        Thread runThread = thread;
        if (runThread != null) {
            runThread.interrupt();
        }
    }

    /** A commit begins: the last safe point before it, then nothing cuts the run until {@link #committed}. */
    void committing() {
        synchronized (this) {
            checkStopped();
            committing = true;
        }
    }

    /** The commit ended, either way: a cut asked for meanwhile happens now. */
    void committed() {
        boolean cutNow;
        synchronized (this) {
            committing = false;
            cutNow = cutAfterCommit;
            cutAfterCommit = false;
        }
        if (cutNow) {
            cut();
        }
    }

    /** The run has ended: a cut due later (its grace over) has nothing left to cut. */
    synchronized void ended() {
        ended = true;
    }

    boolean stopped() {
        return stop != null;
    }

    Stop stopReason() {
        return stop;
    }

    /** A safe point: throws when the run was asked to stop. */
    void checkStopped() {
        Stop current = stop;
        if (current != null) {
            throw new RunStoppedException(current.reason());
        }
    }

    /**
     * What the run's thread throws for a failure met while it waited for a task of the run (a resource, a worker): the
     * task's own exception, or for an interrupt the run's stop (or, when it was not asked to stop, a failure saying so).
     *
     * @param waitingFor what the thread was doing, for the message
     */
    RuntimeException failureOfTask(Exception failure, String waitingFor) {
        if (failure instanceof ExecutionException execution) {
            return execution.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(execution.getCause());
        }
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            checkStopped();
            return new IllegalStateException("interrupted while " + waitingFor, failure);
        }
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }

    static final class RunStoppedException extends RuntimeException {
        RunStoppedException(String reason) {
            super(reason);
        }
    }
}
