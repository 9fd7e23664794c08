package io.sluice.testing;

import io.sluice.catalog.Run;
import io.sluice.runs.RecordedEvent;
import io.sluice.runs.RunEvent;
import io.sluice.runs.RunExecutor;
import io.sluice.runs.RunWatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A run followed through the executor to its end: the run as it ended, and every event its watch saw. */
public record EndedRun(Run run, List<RunEvent> events) {
    /** Longer than any run of a test takes; a run still going then is stuck. */
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    public EndedRun {
        events = List.copyOf(events);
    }

    /**
     * Watches {@code started} until it ends.
     *
     * @throws AssertionError when it has not ended after {@link #DEADLINE}, with its state and latest events
     */
    public static EndedRun watch(RunExecutor executor, Run started) throws InterruptedException {
        List<RunEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try (RunWatch watch = executor.watch(started.id())) {
            while (!watch.finished()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("run " + started.id() + " did not end within " + DEADLINE.toSeconds() + " s; it is "
                            + executor.get(started.id()).state() + ", its latest events: "
                            + events.subList(Math.max(0, events.size() - 5), events.size()));
                }
                watch.next(Duration.ofMillis(50)).map(RecordedEvent::event).ifPresent(events::add);
            }
        }
        return new EndedRun(executor.get(started.id()), events);
    }

    /** The messages of its log lines. */
    public List<String> messages() {
        return logLines().map(RunEvent.LogLine::message).toList();
    }

    /** Its log lines as "LEVEL message". */
    public List<String> log() {
        return logLines().map(line -> line.level() + " " + line.message()).toList();
    }

    private Stream<RunEvent.LogLine> logLines() {
        return events.stream().filter(RunEvent.LogLine.class::isInstance).map(RunEvent.LogLine.class::cast);
    }
}
