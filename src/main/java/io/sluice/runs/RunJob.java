package io.sluice.runs;

import io.sluice.catalog.RunSummary;
import io.sluice.catalog.Stage;
import io.sluice.load.Destination;
import io.sluice.load.Destinations;
import io.sluice.load.LoadPackage;
import io.sluice.normalize.TableNormalizer;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.ResourceSpec;
import io.sluice.schema.TableFile;
import io.sluice.source.ItemSink;
import io.sluice.source.Source;
import io.sluice.source.Sources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One attempt at a run: extract each resource and normalize its items into the load package as they stream in
 * (one item in memory at a time), then load the package into the destination in one transaction.
 */
final class RunJob {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private final PipelineSpec spec;
    private final String loadId;
    private final Path dataDirectory;
    private final RunChannel channel;
    private final RunControl control;
    private final Duration progressInterval;
    private long peakHeap;

    RunJob(PipelineSpec spec, String loadId, Path dataDirectory, RunChannel channel, RunControl control,
           Duration progressInterval) {
        this.spec = spec;
        this.loadId = loadId;
        this.dataDirectory = dataDirectory;
        this.channel = channel;
        this.control = control;
        this.progressInterval = progressInterval;
    }

    RunSummary execute() {
        long started = System.nanoTime();
        Path packageDirectory = dataDirectory.resolve("packages").resolve(spec.name()).resolve(loadId);
        createDirectories(packageDirectory);
        Source source = Sources.open(spec.source());
        List<TableFile> files = new ArrayList<>();
        Map<String, Long> rowsPerTable = new LinkedHashMap<>();
        long bytes = 0;
        for (ResourceSpec resource : spec.source().resources()) {
            control.checkStopped();
            log(RunEvent.LogLine.Level.INFO, "extracting resource " + resource.name() + " into table " + resource.tableName());
            ProgressMeter meter = new ProgressMeter(resource.name(), resource.tableName(), Stage.EXTRACT,
                    source.totalBytes(resource.name()), progressInterval, this::report);
            try (TableNormalizer normalizer = new TableNormalizer(resource.tableName(), packageDirectory)) {
                source.extract(resource.name(), new ItemSink() {
                    @Override
                    public void item(Map<String, Object> item) {
                        control.checkStopped();
                        normalizer.add(item);
                        meter.add(1, 0);
                    }

                    @Override
                    public void bytesRead(long count) {
                        meter.add(0, count);
                    }
                });
                files.addAll(normalizer.finish());
            }
            meter.finish();
            rowsPerTable.merge(resource.tableName(), meter.rows(), Long::sum);
            bytes += meter.bytes();
        }
        Duration extract = Duration.ofNanos(System.nanoTime() - started);

        control.checkStopped();
        long loadStarted = System.nanoTime();
        log(RunEvent.LogLine.Level.INFO, "loading " + files.size() + " staged file(s) as load " + loadId);
        Destination destination = Destinations.open(spec.destination(), dataDirectory);
        control.onCancel(destination::cancel);
        Map<String, ProgressMeter> loadMeters = new HashMap<>();
        for (TableFile file : files) {
            loadMeters.computeIfAbsent(file.table(), table -> new ProgressMeter(table, table, Stage.LOAD, 0, Duration.ZERO,
                    this::report));
        }
        destination.load(new LoadPackage(spec.name(), spec.dataset(), loadId, files),
                (table, rows, fileBytes) -> loadMeters.get(table).add(rows, fileBytes));
        Duration load = Duration.ofNanos(System.nanoTime() - loadStarted);
        try {
            deleteRecursively(packageDirectory);
        } catch (UncheckedIOException e) {
            log(RunEvent.LogLine.Level.WARN, e.getMessage() + ": " + e.getCause().getMessage());
        }

        long rows = rowsPerTable.values().stream().mapToLong(Long::longValue).sum();
        log(RunEvent.LogLine.Level.INFO, "committed load " + loadId + ": " + rows + " rows");
        return new RunSummary(
                rowsPerTable.entrySet().stream().map(entry -> new RunSummary.TableRows(entry.getKey(), entry.getValue())).toList(),
                List.of(new RunSummary.StageTime(Stage.EXTRACT, extract), new RunSummary.StageTime(Stage.LOAD, load)),
                rows,
                bytes,
                Duration.ofNanos(System.nanoTime() - started),
                loadId,
                peakHeap);
    }

    private void report(RunEvent.TableProgress progress) {
        peakHeap = Math.max(peakHeap, MEMORY.getHeapMemoryUsage().getUsed());
        channel.publish(progress);
    }

    private void log(RunEvent.LogLine.Level level, String message) {
        channel.publish(new RunEvent.LogLine(level, message));
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create load package directory " + directory, e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove committed load package " + directory, e);
        }
    }
}
