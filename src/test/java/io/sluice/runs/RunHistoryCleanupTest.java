package io.sluice.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalog.JdbcCatalogStore;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.StoredEvent;
import io.sluice.catalog.StoredLogLine;
import io.sluice.catalog.Trigger;
import io.sluice.testing.FileDataSource;
import io.sluice.testing.MovableClock;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Retention moved through by a clock, over a real DuckDB catalog: old ended runs go, runs not ended stay. */
class RunHistoryCleanupTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    @Test
    void endedRunsLoseTheirLogsThenThemselvesAndUnfinishedRunsStay() throws Exception {
        JdbcCatalogStore store = new JdbcCatalogStore(new FileDataSource(Files.createTempDirectory("history").resolve("catalog.duckdb")));
        store.migrate();
        Run ancient = ended(store, "ancient", RunState.COMPLETED, NOW.minus(DAY.multipliedBy(100)));
        Run monthOld = ended(store, "month-old", RunState.FAILED, NOW.minus(DAY.multipliedBy(40)));
        Run recent = ended(store, "recent", RunState.CANCELLED, NOW.minus(DAY));
        Run stuck = stored(store, run("stuck", RunState.RUNNING, NOW.minus(DAY.multipliedBy(200)), Optional.empty()));
        MovableClock clock = new MovableClock(NOW);
        RunHistoryCleanup cleanup = new RunHistoryCleanup(store, Duration.ofDays(30), Duration.ofDays(90), Duration.ofHours(1), clock);

        assertEquals(new RunHistoryCleanup.Deleted(4, 1), cleanup.cleanUp());
        assertTrue(store.run(ancient.id()).isEmpty(), "a run that ended 100 days ago is gone");
        assertEquals(0, store.events(ancient.id()).size());
        assertEquals(0, store.logLines(ancient.id(), 10, "").items().size());
        assertTrue(store.runByRequestId("ancient", "request-ancient").isEmpty(), "its request id with it");
        assertTrue(store.run(monthOld.id()).isPresent(), "a run that ended 40 days ago is kept");
        assertEquals(1, store.events(monthOld.id()).size(), "with its events");
        assertEquals(0, store.logLines(monthOld.id(), 10, "").items().size(), "but not its log lines");
        assertEquals(2, store.logLines(recent.id(), 10, "").items().size());
        assertEquals(2, store.logLines(stuck.id(), 10, "").items().size());

        clock.advance(DAY.multipliedBy(365));
        assertEquals(new RunHistoryCleanup.Deleted(2, 2), cleanup.cleanUp());
        assertTrue(store.run(monthOld.id()).isEmpty());
        assertTrue(store.run(recent.id()).isEmpty());
        assertEquals(Optional.of(stuck), store.run(stuck.id()), "a run that never ended is kept, however old");
        assertEquals(2, store.logLines(stuck.id(), 10, "").items().size(), "with its log lines");
        assertEquals(1, store.events(stuck.id()).size());
        assertEquals(new RunHistoryCleanup.Deleted(0, 0), cleanup.cleanUp());
    }

    private static Run ended(JdbcCatalogStore store, String name, RunState state, Instant end) {
        return stored(store, run(name, state, end.minus(Duration.ofMinutes(5)), Optional.of(end)));
    }

    /** The run with a request id, one event and two log lines. */
    private static Run stored(JdbcCatalogStore store, Run run) {
        store.insertRun(run, "test");
        store.appendEvent(new StoredEvent(run.id(), 1, run.createTime(), "StateChanged",
                "{\"from\":\"PENDING\",\"to\":\"RUNNING\",\"reason\":\"started\"}"));
        store.appendLogLine(new StoredLogLine(run.id(), 2, run.createTime(), "INFO", "", "extracting"));
        store.appendLogLine(new StoredLogLine(run.id(), 3, run.createTime(), "WARN", "io.x", "slow"));
        return run;
    }

    private static Run run(String name, RunState state, Instant created, Optional<Instant> end) {
        return new Run("run-" + name, name, state, Trigger.API, "request-" + name, created, Optional.of(created), end, "", 1,
                Optional.empty(), Optional.empty(), "", "");
    }
}
