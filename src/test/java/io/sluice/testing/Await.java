package io.sluice.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Polls for a condition until a deadline; failing, it says what it waited for and what it saw last. */
public final class Await {
    private static final Duration POLL = Duration.ofMillis(10);

    private Await() {
    }

    /**
     * Polls {@code probe} until {@code done} accepts what it returns, and returns that.
     *
     * @param what what is waited for, for the failure message
     * @throws AssertionError when {@code timeout} passes first, naming {@code what} and the probe's last value
     */
    public static <T> T until(String what, Duration timeout, Callable<T> probe, Predicate<? super T> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T seen = probe.call();
            if (done.test(seen)) {
                return seen;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + "; last saw: " + seen);
            }
            Thread.sleep(POLL);
        }
    }
}
