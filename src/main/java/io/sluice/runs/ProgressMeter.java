package io.sluice.runs;

import io.sluice.catalog.Stage;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Counts one table's rows and bytes in one stage, and reports them at most once per interval; the workers of one
 * resource count into it at once.
 */
final class ProgressMeter {
    private final String resource;
    private final String table;
    private final Stage stage;
    private final long totalBytes;
    private final long intervalNanos;
    private final Consumer<RunEvent.TableProgress> report;
    private final long startNanos = System.nanoTime();
    private final AtomicLong lastReportNanos = new AtomicLong(startNanos);
    private final LongAdder rows = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    ProgressMeter(String resource, String table, Stage stage, long totalBytes, Duration interval,
                  Consumer<RunEvent.TableProgress> report) {
        this.resource = resource;
        this.table = table;
        this.stage = stage;
        this.totalBytes = totalBytes;
        this.intervalNanos = interval.toNanos();
        this.report = report;
    }

    void add(long moreRows, long moreBytes) {
        rows.add(moreRows);
        bytes.add(moreBytes);
        long now = System.nanoTime();
        long last = lastReportNanos.get();
        if (now - last >= intervalNanos && lastReportNanos.compareAndSet(last, now)) {
            report.accept(progress(now));
        }
    }

    /** Reports the final count, whatever the interval. */
    void finish() {
        report.accept(progress(System.nanoTime()));
    }

    long rows() {
        return rows.sum();
    }

    long bytes() {
        return bytes.sum();
    }

    private RunEvent.TableProgress progress(long now) {
        Duration elapsed = Duration.ofNanos(now - startNanos);
        double seconds = elapsed.toNanos() / 1e9;
        long counted = rows.sum();
        return new RunEvent.TableProgress(resource, table, stage, counted, bytes.sum(), seconds > 0 ? counted / seconds : 0, elapsed,
                totalBytes);
    }
}
