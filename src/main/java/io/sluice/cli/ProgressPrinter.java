package io.sluice.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Shows a run in the terminal. On a terminal, a stage line and a live status line per table (rows, rows/s, elapsed) are
 * redrawn in place, by moving the cursor up over them; elsewhere (a log, a pipe) progress is printed at most every few
 * seconds per table, with no escape codes, so logs stay readable. Both end with a summary table.
 */
final class ProgressPrinter {
    private static final long QUIET_NANOS = Duration.ofSeconds(2).toNanos();
    private static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private final boolean live;
    private final Map<String, String> statusLines = new LinkedHashMap<>();
    private final Map<String, Long> lastPrinted = new LinkedHashMap<>();
    private final Map<String, String> unprinted = new LinkedHashMap<>();
    private int drawnLines;
    private String lastStage = "";
    private String stageLine = "";

    /**
     * @param dropped rows and values normalizing dropped, and records rejected
     * @param filtered items an incremental window left out
     */
    record TableRows(String table, long rows, long dropped, long filtered) {
    }

    record StageTime(String stage, Duration elapsed) {
    }

    ProgressPrinter(PrintStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    static ProgressPrinter forStdout() {
        return new ProgressPrinter(System.out, System.console() != null && System.console().isTerminal());
    }

    void run(String runId, String pipeline, String state) {
        line("run " + runId + " of pipeline " + pipeline + ": " + state);
    }

    void state(String from, String to, String reason) {
        line("state " + from + " -> " + to + (reason.isEmpty() ? "" : " (" + reason + ")"));
    }

    void schemaChange(String description) {
        line("schema: " + description);
    }

    void log(String level, String message) {
        line(String.format(Locale.ROOT, "%-5s %s", level, message));
    }

    void progress(String table, String stage, long rows, long bytes, double rowsPerSecond, Duration elapsed, long totalBytes) {
        String key = stage + " " + table;
        String bar = totalBytes > 0 ? bar(bytes, totalBytes) + " " : "";
        String status = String.format(Locale.ROOT, "%-8s %-24s %s%,12d rows %10s %,10.0f rows/s %6.1fs",
                stage.toLowerCase(Locale.ROOT), table, bar, rows, bytes(bytes), rowsPerSecond, elapsed.toMillis() / 1000.0);
        if (live) {
            statusLines.put(key, status);
            stageLine = String.format(Locale.ROOT, "stage %s, %d table(s), %.1fs", stage.toLowerCase(Locale.ROOT),
                    statusLines.size(), elapsed.toMillis() / 1000.0);
            redraw();
            return;
        }
        if (!stage.equals(lastStage)) {
            // A stage's final counts, held back, come before the next stage's first.
            printHeldBack();
            lastStage = stage;
        }
        long now = System.nanoTime();
        Long last = lastPrinted.get(key);
        if (last == null || now - last >= QUIET_NANOS) {
            lastPrinted.put(key, now);
            unprinted.remove(key);
            out.println(status);
        } else {
            unprinted.put(key, status);
        }
    }

    void summary(List<TableRows> tables, List<StageTime> stages, long rows, long bytes, Duration elapsed) {
        clearStatus();
        statusLines.clear();
        out.println();
        out.println("Rows loaded per table:");
        tables.forEach(table -> out.printf(Locale.ROOT, "  %-32s %,12d%s%s%n", table.table(), table.rows(),
                table.dropped() == 0 ? "" : String.format(Locale.ROOT, "  (%,d dropped: see the warnings)", table.dropped()),
                table.filtered() == 0 ? "" : String.format(Locale.ROOT, "  (%,d outside the incremental window)", table.filtered())));
        double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-9);
        out.printf(Locale.ROOT, "  %-32s %,12d  (%s read, %.2fs, %,.0f rows/s)%n", "total", rows, bytes(bytes), seconds,
                rows / seconds);
        stages.forEach(stage -> out.printf(Locale.ROOT, "  stage %-26s %11.2fs%n", stage.stage().toLowerCase(Locale.ROOT),
                stage.elapsed().toNanos() / 1e9));
        out.println();
    }

    private void line(String text) {
        clearStatus();
        out.println(text);
        drawStatus();
    }

    private void redraw() {
        clearStatus();
        drawStatus();
    }

    /** Live: erases the status lines. Otherwise: prints the latest progress held back, so final counts show. */
    private void clearStatus() {
        printHeldBack();
        if (live && drawnLines > 0) {
            out.print("\u001b[" + drawnLines + "F\u001b[J");
            drawnLines = 0;
        }
    }

    private void printHeldBack() {
        unprinted.values().forEach(out::println);
        unprinted.clear();
    }

    private void drawStatus() {
        if (live && !statusLines.isEmpty()) {
            out.println(stageLine);
            statusLines.values().forEach(out::println);
            drawnLines = statusLines.size() + 1;
            out.flush();
        }
    }

    private static String bar(long done, long total) {
        int filled = (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + String.format(Locale.ROOT, "] %3d%%",
                Math.min(100, done * 100 / total));
    }

    private static String bytes(long count) {
        if (count < 1024) {
            return count + " B";
        }
        if (count < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", count / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", count / (1024.0 * 1024));
    }
}
