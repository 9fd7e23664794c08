package io.sluice.normalize;

import io.sluice.schema.Naming;
import io.sluice.schema.SchemaChange;
import io.sluice.schema.TableHints;
import io.sluice.source.JsonLinesItems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Times the normalizer alone on a folder of JSONL files (the bench's P1 data: {@code python3 bench/generate.py p1
 * 200000 --out DIR}): the items are read into memory first, so each run measures flattening, inference and the
 * staged writes, not JSON parsing. Uses only the normalizer's public API, so one build of this class times any
 * build of it. Run: {@code java -Xmx6g -XX:+UseSerialGC -cp TEST_CLASSES:CLASSES:JACKSON_JARS
 * io.sluice.normalize.NormalizeMicroRun DIR [RUNS]}.
 */
public final class NormalizeMicroRun {
    private static final NormalizeListener SILENT = new NormalizeListener() {
        @Override
        public void schemaChanged(SchemaChange change) {
        }

        @Override
        public void dropped(String table, String origin, String reason) {
        }
    };

    private NormalizeMicroRun() {
    }

    public static void main(String[] arguments) throws IOException {
        Path folder = Path.of(arguments[0]);
        int runs = arguments.length > 1 ? Integer.parseInt(arguments[1]) : 5;
        List<Map<String, Object>> items = read(folder);
        System.out.println(items.size() + " items read from " + folder);
        for (int run = 1; run <= runs; run++) {
            Path directory = Files.createTempDirectory("normalize-micro-run");
            long start = System.nanoTime();
            NormalizedResource normalized;
            try (ResourceNormalizer normalizer = new ResourceNormalizer("orders", "orders", TableHints.DEFAULT, List.of(),
                    new Naming(63), directory, "micro-run", SILENT)) {
                long line = 0;
                for (Map<String, Object> item : items) {
                    long at = ++line;
                    normalizer.add(item, () -> "item " + at);
                }
                normalized = normalizer.finish();
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            long rows = normalized.counts().stream().mapToLong(TableCounts::rows).sum();
            System.out.println("run " + run + ": " + millis + " ms, " + rows + " rows in " + normalized.tables().size() + " tables");
            delete(directory);
        }
    }

    private static List<Map<String, Object>> read(Path folder) throws IOException {
        List<Map<String, Object>> items = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".jsonl")).sorted().toList()) {
                JsonLinesItems.read(file, (item, origin) -> items.add(item), (origin, reason) -> {
                    throw new IllegalStateException(origin.get() + ": " + reason);
                });
            }
        }
        return items;
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
