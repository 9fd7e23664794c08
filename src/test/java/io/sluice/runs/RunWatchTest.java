package io.sluice.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalog.RunState;
import io.sluice.catalog.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunWatchTest {
    @Test
    void aWatcherThatNeverReadsHoldsCoalescedProgressAndABoundedBacklog() throws InterruptedException {
        RunWatch watch = new RunWatch(10, () -> {
        });
        long sequence = 0;
        for (int i = 0; i < 100_000; i++) {
            watch.offer(event(++sequence, progress("events", i)));
            watch.offer(event(++sequence, progress("customers", i)));
            watch.offer(event(++sequence, new RunEvent.LogLine(RunEvent.LogLine.Level.INFO, "line " + i)));
        }
        watch.offer(event(++sequence, new RunEvent.StateChanged(RunState.RUNNING, RunState.COMPLETED, "completed")));
        watch.end();

        List<RecordedEvent> delivered = new ArrayList<>();
        while (!watch.finished()) {
            watch.next(Duration.ofMillis(10)).ifPresent(delivered::add);
        }
        assertEquals(10 + 2 + 1, delivered.size(), "10 log lines, the latest progress of each table, the state change");
        assertEquals(99_990, watch.droppedLogLines());
        List<Long> sequences = delivered.stream().map(RecordedEvent::sequence).toList();
        assertEquals(sequences.stream().sorted().toList(), sequences, "delivered in sequence order");
        assertTrue(delivered.stream().anyMatch(recorded -> recorded.event() instanceof RunEvent.TableProgress progress
                && progress.table().equals("events") && progress.rows() == 99_999), "the latest progress of table events is delivered");
        assertTrue(delivered.getLast().event() instanceof RunEvent.StateChanged, "the state change comes last: " + delivered.getLast());
    }

    @Test
    void nextWaitsForAnEventOrTheTimeout() throws InterruptedException {
        RunWatch watch = new RunWatch(10, () -> {
        });
        long started = System.nanoTime();
        assertTrue(watch.next(Duration.ofMillis(50)).isEmpty(), "nothing to deliver yet");
        assertTrue(System.nanoTime() - started >= 40_000_000L, "next waited for its timeout");
        Thread.ofVirtual().start(() -> watch.offer(event(1, new RunEvent.LogLine(RunEvent.LogLine.Level.INFO, "late"))));
        assertTrue(watch.next(Duration.ofSeconds(5)).isPresent(), "the offered event is delivered");
    }

    private static RecordedEvent event(long sequence, RunEvent event) {
        return new RecordedEvent("run", sequence, Instant.now(), event);
    }

    private static RunEvent.TableProgress progress(String table, long rows) {
        return new RunEvent.TableProgress(table, table, Stage.EXTRACT, rows, rows * 10, 1, Duration.ofSeconds(1), 0);
    }
}
