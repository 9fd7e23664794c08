package io.sluice.runs;

import io.sluice.catalog.Stage;
import java.time.Duration;
import java.util.function.Consumer;

/** Counts one table's rows and bytes in one stage, and reports them at most once per interval. */
final class ProgressMeter {
    private final String resource;
    private final String table;
    private final Stage stage;
    private final long totalBytes;
    private final long intervalNanos;
    private final Consumer<RunEvent.TableProgress> report;
    private final long startNanos = System.nanoTime();
    private long lastReportNanos = startNanos;
    private long rows;
    private long bytes;

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
        rows += moreRows;
        bytes += moreBytes;
        long now = System.nanoTime();
        if (now - lastReportNanos >= intervalNanos) {
            lastReportNanos = now;
            report.accept(progress(now));
        }
    }

    /** Reports the final count, whatever the interval. */
    void finish() {
        report.accept(progress(System.nanoTime()));
    }

    long rows() {
        return rows;
    }

    long bytes() {
        return bytes;
    }

    private RunEvent.TableProgress progress(long now) {
        Duration elapsed = Duration.ofNanos(now - startNanos);
        double seconds = elapsed.toNanos() / 1e9;
        return new RunEvent.TableProgress(resource, table, stage, rows, bytes, seconds > 0 ? rows / seconds : 0, elapsed,
                totalBytes);
    }
}
