package io.sluice.threads;

/**
 * The kind of thread a run's work runs on, decided in one place. A server runs its runs on virtual threads, so that
 * thousands can wait at once for next to nothing; a one-shot command runs its one run on platform threads. A virtual
 * thread blocked on a socket (a database's, an HTTP server's) parks in the JDK's poller, a thread that then sits in
 * native code for the life of the process, and the JVM's exit waits up to 300 ms for Java threads in native code: a
 * one-shot run into PostgreSQL ended 0.36 s after its summary where one into DuckDB ended in 0.05 s. A run's helper
 * threads (its resources' extracts, a read-ahead, normalize workers) are of the kind of the thread that starts them,
 * so the run's choice holds for all of its work.
 */
public final class WorkThreads {
    private WorkThreads() {
    }

    /** The thread a run executes on: a platform daemon thread when {@code platform}, else a virtual one. */
    public static Thread.Builder run(boolean platform, String name) {
        return platform ? Thread.ofPlatform().daemon().name(name) : Thread.ofVirtual().name(name);
    }

    /** A helper of the current thread, of its kind. */
    public static Thread.Builder helper(String name) {
        return ofCurrentKind().name(name);
    }

    /** Helpers of the current thread, of its kind, named {@code prefix} and a number from 0. */
    public static Thread.Builder helpers(String prefix) {
        return ofCurrentKind().name(prefix, 0);
    }

    private static Thread.Builder ofCurrentKind() {
        return Thread.currentThread().isVirtual() ? Thread.ofVirtual() : Thread.ofPlatform().daemon();
    }
}
