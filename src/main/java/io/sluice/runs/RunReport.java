package io.sluice.runs;

import io.sluice.catalog.RunSummary;
import io.sluice.catalog.Stage;
import io.sluice.normalize.TableCounts;
import io.sluice.source.Incremental;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run tells its watchers as it goes — log lines and progress, noting the peak heap as progress comes in — and
 * the summary it ends with.
 */
final class RunReport {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private final RunChannel channel;
    private final String loadId;
    private final long started = System.nanoTime();
    private volatile long peakHeap;

    RunReport(RunChannel channel, String loadId) {
        this.channel = channel;
        this.loadId = loadId;
    }

    void log(RunEvent.LogLine.Level level, String message) {
        channel.publish(new RunEvent.LogLine(level, message));
    }

    void progress(RunEvent.TableProgress progress) {
        peakHeap = Math.max(peakHeap, MEMORY.getHeapMemoryUsage().getUsed());
        channel.publish(progress);
    }

    void publish(RunEvent event) {
        channel.publish(event);
    }

    /** The run's summary: its own package's rows, each stage's time, and the earlier runs' packages it committed first. */
    RunSummary summary(SealedPackage sealed, Duration load, List<RunSummary.ResumedLoad> resumed) {
        return new RunSummary(
                sealed.tableRows(),
                List.of(new RunSummary.StageTime(Stage.EXTRACT, sealed.extract()),
                        new RunSummary.StageTime(Stage.NORMALIZE, sealed.normalize()),
                        new RunSummary.StageTime(Stage.LOAD, load)),
                sealed.tableRows().stream().mapToLong(RunSummary.TableRows::rows).sum(),
                sealed.bytes(),
                Duration.ofNanos(System.nanoTime() - started),
                loadId,
                peakHeap,
                resumed);
    }

    /** Rows per table of one resource; items its incremental window left out count against its root table. */
    static List<RunSummary.TableRows> tableRows(Extraction.Extracted extracted) {
        long filtered = extracted.incremental().map(Incremental::filtered).orElse(0L);
        String root = extracted.resource().tableName();
        List<RunSummary.TableRows> rows = new ArrayList<>();
        for (TableCounts count : extracted.normalized().counts()) {
            rows.add(new RunSummary.TableRows(count.table(), count.rows(), count.discardedRows(), count.discardedValues(),
                    count.rejectedRecords(), count.table().equals(root) ? filtered : 0));
        }
        if (filtered > 0 && rows.stream().noneMatch(row -> row.table().equals(root))) {
            rows.add(new RunSummary.TableRows(root, 0, 0, 0, 0, filtered));
        }
        return rows;
    }
}
