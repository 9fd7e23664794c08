package io.sluice.runs;

import io.quarkus.runtime.ShutdownEvent;
import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.RunHistoryStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Deletes run history past its retention, now and then while the service runs: the log lines of runs that ended longer
 * than {@code sluice.runs.logs.retention} ago, and the runs that ended longer than {@code sluice.runs.history.retention}
 * ago with their events and log lines. A run that has not ended is kept, however old.
 */
@ApplicationScoped
public class RunHistoryCleanup {
    private static final Logger LOG = Logger.getLogger(RunHistoryCleanup.class);

    private final RunHistoryStore store;
    private final Duration logsRetention;
    private final Duration historyRetention;
    private final Duration interval;
    private final Clock clock;
    private ScheduledExecutorService cleanups;

    /** What one cleanup deleted. */
    record Deleted(int logLines, int runs) {
    }

    @Inject
    RunHistoryCleanup(CatalogStore store, SluiceConfig config) {
        this(store, config.runs().logs().retention(), config.runs().history().retention(), config.runs().history().cleanupInterval(),
                Clock.systemUTC());
    }

    /** @param clock what now is at each cleanup: tests pass one they move by hand */
    RunHistoryCleanup(RunHistoryStore store, Duration logsRetention, Duration historyRetention, Duration interval, Clock clock) {
        this.store = store;
        this.logsRetention = logsRetention;
        this.historyRetention = historyRetention;
        this.interval = interval;
        this.clock = clock;
    }

    /** Cleans up now, then every interval until the service stops; called by the server, not by one-shot commands. */
    public synchronized void start() {
        if (cleanups == null) {
            cleanups = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("run-history-cleanup").daemon().factory());
            cleanups.scheduleWithFixedDelay(this::cleanUpSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    synchronized void stop(@Observes ShutdownEvent shutdown) {
        if (cleanups != null) {
            cleanups.shutdownNow();
        }
    }

    /** Deletes what is past its retention as of the clock's now. */
    Deleted cleanUp() {
        Instant now = clock.instant();
        int logLines = store.deleteLogLinesOfRunsEndedBefore(now.minus(logsRetention));
        int runs = store.deleteRunsEndedBefore(now.minus(historyRetention));
        if (logLines > 0 || runs > 0) {
            LOG.infof("deleted %d log line(s) of runs that ended before %s and %d run(s) that ended before %s", logLines,
                    now.minus(logsRetention), runs, now.minus(historyRetention));
        }
        return new Deleted(logLines, runs);
    }

    private void cleanUpSafely() {
        try {
            cleanUp();
        } catch (RuntimeException e) {
            LOG.errorf(e, "a cleanup of run history failed; the next one tries again");
        }
    }
}
