package io.sluice.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalog.RunState;
import io.sluice.testing.Await;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cancelled run gets its grace to reach a safe point, then is cut — its hooks run and its thread is interrupted —
 * but never inside a commit: a cut due then waits for the commit to end. Real virtual threads blocked as a run's are.
 */
class CancelGraceTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void aRunningRunIsAskedFirstAndCutOnceItsGraceIsOver() throws Exception {
        RunControl control = new RunControl();
        AtomicInteger cuts = new AtomicInteger();
        control.onCancel(cuts::incrementAndGet);
        BlockedRun blocked = BlockedRun.start(control);

        new CancelGrace(Duration.ofMillis(300), timer).stop(control, RunState.RUNNING, RunState.CANCELLED, "cancelled on request");
        assertTrue(control.stopped());
        assertEquals(0, cuts.get(), "asked first, not cut");
        assertThrows(RunControl.RunStoppedException.class, control::checkStopped, "its next safe point stops it");

        Await.until("the grace to end with a cut", Duration.ofSeconds(10), cuts::get, count -> count == 1);
        blocked.awaitInterrupted();
    }

    @Test
    void aWaitingRunIsCutAtOnceAndTheFirstReasonWins() throws Exception {
        RunControl control = new RunControl();
        AtomicInteger cuts = new AtomicInteger();
        control.onCancel(cuts::incrementAndGet);
        BlockedRun blocked = BlockedRun.start(control);
        CancelGrace grace = new CancelGrace(Duration.ofMinutes(10), timer);

        grace.stop(control, RunState.RETRYING, RunState.CANCELLED, "cancelled on request");
        assertEquals(1, cuts.get());
        blocked.awaitInterrupted();
        grace.stop(control, RunState.RETRYING, RunState.FAILED, "timed out");
        assertEquals(new RunControl.Stop(RunState.CANCELLED, "cancelled on request"), control.stopReason());
        assertEquals(1, cuts.get(), "cut once");
    }

    @Test
    void aCommitUnderWayIsNeverCutAndACutDueMeanwhileComesAfterIt() throws Exception {
        RunControl control = new RunControl();
        AtomicInteger cuts = new AtomicInteger();
        control.onCancel(cuts::incrementAndGet);
        control.committing();
        control.stop(RunState.FAILED, "timed out after 1s");
        assertEquals(0, cuts.get(), "not cut inside the commit");

        BlockedRun blocked = BlockedRun.start(control);
        control.committed();
        assertEquals(1, cuts.get(), "cut once the commit ended");
        blocked.awaitInterrupted();
        assertThrows(RunControl.RunStoppedException.class, control::committing, "no commit begins once the run is asked to stop");
    }

    @Test
    void aRunThatHasEndedIsNotCutWhenItsGraceEnds() throws Exception {
        RunControl control = new RunControl();
        AtomicInteger cuts = new AtomicInteger();
        control.onCancel(cuts::incrementAndGet);
        control.request(RunState.CANCELLED, "cancelled on request");
        control.ended();
        control.cut();
        assertEquals(0, cuts.get());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    /** A virtual thread blocked as a run waiting on its source is, with the control told it is the run's thread. */
    private record BlockedRun(Thread thread, CountDownLatch interrupted) {
        static BlockedRun start(RunControl control) throws InterruptedException {
            CountDownLatch waiting = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            Thread thread = Thread.ofVirtual().start(() -> {
                waiting.countDown();
                try {
                    new CountDownLatch(1).await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            });
            control.runsOn(thread);
            assertTrue(waiting.await(10, TimeUnit.SECONDS));
            return new BlockedRun(thread, interrupted);
        }

        void awaitInterrupted() throws InterruptedException {
            assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the run's thread was interrupted");
        }
    }
}
