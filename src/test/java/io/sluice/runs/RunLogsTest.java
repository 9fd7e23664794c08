package io.sluice.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalog.CatalogTime;
import io.sluice.catalog.JdbcCatalogStore;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.StoredEvent;
import io.sluice.catalog.Trigger;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.testing.Specs;
import io.sluice.testing.FileDataSource;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run's log lines in a real DuckDB catalog: the bound per run, how they are written (with the run's next change, in
 * batches, or soon after), and what the run's code logs on its threads.
 */
class RunLogsTest {
    private static final PipelineSpec SPEC = PipelineSpecs.toSpec(Specs.samples("logged", "logged.duckdb"), "");

    private static final Logger LOG = Logger.getLogger("io.sluice.test.capture");

    private JdbcCatalogStore store;
    private Run run;

    @BeforeEach
    void catalogWithARun() throws Exception {
        store = new JdbcCatalogStore(new FileDataSource(Files.createTempDirectory("run-logs").resolve("catalog.duckdb")));
        store.migrate();
        run = new Run(UUID.randomUUID().toString(), "logged", RunState.RUNNING, Trigger.CLI, "", CatalogTime.now(),
                Optional.of(CatalogTime.now()), Optional.empty(), "", 1, Optional.empty(), Optional.empty(), "", "");
        store.insertRun(run, "test");
    }

    @Test
    void aRunStoresItsFirstLinesThenOneSayingHowManyItDropped() throws Exception {
        RunChannel channel = new RunChannel(run, SPEC, store, 100, 3, RunObserver.NONE);
        RunWatch watch = channel.subscribe();
        for (int line = 1; line <= 5; line++) {
            channel.publish(new RunEvent.LogLine(RunEvent.LogLine.Level.INFO, "line " + line));
        }
        channel.end();

        String notice = "2 more log line(s) dropped: a run keeps its first 3 (sluice.runs.logs.max-lines-per-run)";
        assertEquals(List.of("line 1", "line 2", "line 3", notice), messages(RunLogLines.all(store, run.id())));
        assertEquals(List.of("line 1", "line 2", "line 3", "line 4", "line 5", notice), messages(watch),
                "a watcher gets every line live; the bound is on what is stored");
        assertEquals(List.of("line 1", "line 2", "line 3", notice), messages(new RunChannel(run, store, 100).subscribe()),
                "a later watcher gets the stored lines");
    }

    @Test
    void linesWaitForTheRunsNextChangeAndGoWithItInOneWrite() throws Exception {
        RunChannel channel = new RunChannel(run, SPEC, store, 100, 100, RunObserver.NONE);
        channel.publish(new RunEvent.LogLine(RunEvent.LogLine.Level.INFO, "first"));
        channel.publish(new RunEvent.LogLine(RunEvent.LogLine.Level.INFO, "second"));
        channel.change(current -> current.ended(RunState.COMPLETED, CatalogTime.now(), "", Optional.empty()), "completed");

        assertEquals(List.of("first", "second"), messages(RunLogLines.all(store, run.id())), "stored with the change");
        assertEquals(RunState.COMPLETED, store.run(run.id()).orElseThrow().state());
        channel.end();
    }

    @Test
    void linesBetweenChangesAreWrittenInBatchesOrSoonAfterTheyCame() throws Exception {
        RunChannel channel = new RunChannel(run, SPEC, store, 100, 1000, RunObserver.NONE);
        for (int line = 1; line <= UnstoredEvents.BATCH; line++) {
            channel.publish(new RunEvent.LogLine(RunEvent.LogLine.Level.INFO, "line " + line));
        }
        assertEquals(UnstoredEvents.BATCH, RunLogLines.all(store, run.id()).size(), "a full batch is written at once");

        channel.publish(new RunEvent.LogLine(RunEvent.LogLine.Level.INFO, "one more"));
        long deadline = System.nanoTime() + RunChannel.WRITE_DELAY.multipliedBy(30).toNanos();
        while (RunLogLines.all(store, run.id()).size() == UnstoredEvents.BATCH) {
            assertTrue(System.nanoTime() < deadline, "a line no change takes along is written on its own soon after");
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        assertEquals("one more", messages(RunLogLines.all(store, run.id())).getLast());
        channel.end();
    }

    @Test
    void aWatcherThatComesLateGetsTheLinesThatStillWait() throws Exception {
        RunChannel channel = new RunChannel(run, SPEC, store, 100, 100, RunObserver.NONE);
        channel.publish(new RunEvent.LogLine(RunEvent.LogLine.Level.INFO, "before the watcher"));
        RunWatch late = channel.subscribe();
        channel.end();
        assertEquals(List.of("before the watcher"), messages(late));
    }

    @Test
    void whatTheEngineLogsOnTheRunsThreadsBecomesItsLogLinesWithoutTheExceptions() throws Exception {
        RunChannel channel = new RunChannel(run, SPEC, store, 100, 100, RunObserver.NONE);
        RunLogHandler handler = new RunLogHandler();
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        // Alone on the root logger: a handler the JVM's logging set up (Quarkus's, once a Quarkus test has stopped its
        // application, marks records "[Error Occurred After Shutdown]") would change the records before this one reads them.
        java.util.logging.Handler[] others = root.getHandlers();
        for (java.util.logging.Handler other : others) {
            root.removeHandler(other);
        }
        root.addHandler(handler);
        try {
            RunLogContext.runAs(channel, () -> {
                LOG.warnf("fetched page %d of %s", 2, "items");
                try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory())) {
                    threads.submit(RunLogContext.carried(() -> {
                        LOG.error("on a thread the run started");
                        return null;
                    })).get();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                LOG.warn("request failed", new IllegalStateException("https://api.example.com/?api_key=s3cr3t-value"));
                Logger.getLogger("org.example.library").warn("connected to jdbc:x://user:s3cr3t-value@db");
                Logger.getLogger(RunExecutor.class).warn("the executor's own record about the run");
            });
            LOG.warn("on no run's thread");
        } finally {
            root.removeHandler(handler);
            for (java.util.logging.Handler other : others) {
                root.addHandler(other);
            }
        }
        channel.end();

        List<RecordedEvent> lines = RunLogLines.all(store, run.id());
        assertEquals(List.of("fetched page 2 of items", "on a thread the run started", "request failed"), messages(lines));
        assertEquals(List.of(RunEvent.LogLine.Level.WARN, RunEvent.LogLine.Level.ERROR, RunEvent.LogLine.Level.WARN),
                lines.stream().map(line -> ((RunEvent.LogLine) line.event()).level()).toList());
        assertTrue(lines.stream().allMatch(line -> ((RunEvent.LogLine) line.event()).logger().equals("io.sluice.test.capture")),
                lines.toString());
    }

    @Test
    void logLinesACatalogStoredAsEventsStillRead() {
        StoredEvent before = new StoredEvent("run-1", 4, CatalogTime.now(), "LogLine", "{\"level\":\"INFO\",\"message\":\"hello\"}");
        assertEquals(new RunEvent.LogLine(RunEvent.LogLine.Level.INFO, "", "hello"), RunEventCodec.decode(before).event());
    }

    private static List<String> messages(RunWatch watch) throws InterruptedException {
        List<RecordedEvent> events = new ArrayList<>();
        for (Optional<RecordedEvent> next = watch.next(Duration.ZERO); next.isPresent(); next = watch.next(Duration.ZERO)) {
            events.add(next.get());
        }
        return messages(events);
    }

    private static List<String> messages(List<RecordedEvent> events) {
        return events.stream().filter(event -> event.event() instanceof RunEvent.LogLine)
                .map(event -> ((RunEvent.LogLine) event.event()).message()).toList();
    }
}
