package io.sluice.normalize;

import io.sluice.proto.v1.Pipeline;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.ResourceSpec;
import io.sluice.schema.Column;
import io.sluice.schema.Naming;
import io.sluice.schema.SchemaChange;
import io.sluice.schema.StagedCsv;
import io.sluice.schema.TableFile;
import io.sluice.schema.TableSchema;
import io.sluice.source.JsonLinesItems;
import io.sluice.testing.Specs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One golden case of {@code src/test/resources/normalize/}: {@code input.jsonl} normalized under the resource keys of
 * {@code resource.yaml} (the spec's own words), over the schema an earlier load of {@code stored.jsonl} left, if the
 * case has one. {@link #actual} renders what came out as the files of {@code expected/}: one CSV per table (a header
 * of the final columns, then the staged rows, a part written before a column appeared padded with empty fields) and
 * {@code result.yaml} with the schema, the staged files, the counts, the schema changes, the drops and the error.
 */
final class NormalizeCase {
    /** The destinations' identifier limit (DuckDB and PostgreSQL). */
    private static final Naming NAMING = new Naming(63);
    private static final String LOAD_ID = "golden-load";

    private final Path directory;

    NormalizeCase(Path directory) {
        this.directory = directory;
    }

    /** What the normalizer made of the case, by file name under {@code expected/}. */
    Map<String, String> actual(Path staging) throws IOException {
        ResourceSpec resource = resource();
        List<TableSchema> stored = List.of();
        Path before = directory.resolve("stored.jsonl");
        if (Files.exists(before)) {
            stored = normalize(resource, before, stored, Files.createDirectories(staging.resolve("stored")), new Recorder()).tables();
        }
        Recorder recorder = new Recorder();
        Map<String, String> files = new TreeMap<>();
        StringBuilder result = new StringBuilder();
        try {
            NormalizedResource normalized = normalize(resource, directory.resolve("input.jsonl"), stored,
                    Files.createDirectories(staging.resolve("input")), recorder);
            for (TableSchema table : normalized.tables()) {
                files.put(table.name() + ".csv", rows(table, normalized.files()));
            }
            schema(normalized, result);
        } catch (ContractViolationException e) {
            result.append("error: ").append(e.getMessage()).append('\n');
        }
        result.append("changes:\n");
        recorder.changes.forEach(change -> result.append("  - ").append(change).append('\n'));
        result.append("drops:\n");
        recorder.drops.forEach(drop -> result.append("  - ").append(drop).append('\n'));
        files.put("result.yaml", result.toString());
        return files;
    }

    private ResourceSpec resource() throws IOException {
        Path keys = directory.resolve("resource.yaml");
        String resourceKeys = Files.exists(keys) ? Files.readString(keys) : "";
        Pipeline pipeline = Specs.files("golden-" + directory.getFileName(), directory.toString(), "*.jsonl", "golden.duckdb",
                resourceKeys);
        return PipelineSpecs.toSpec(pipeline, keys.toString()).source().resources().getFirst();
    }

    private static NormalizedResource normalize(ResourceSpec resource, Path items, List<TableSchema> stored, Path staging,
                                                NormalizeListener listener) throws IOException {
        try (ResourceNormalizer normalizer = new ResourceNormalizer(resource.name(), resource.tableName(), resource.hints(),
                stored, NAMING, staging, LOAD_ID, listener)) {
            JsonLinesItems.read(items, normalizer::add, normalizer::reject);
            return normalizer.finish();
        }
    }

    /** The table's rows under its final columns, part after part. */
    private static String rows(TableSchema table, List<TableFile> files) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(table.columns().stream().map(Column::name).collect(Collectors.joining(","))).append('\n');
        for (TableFile file : files) {
            if (file.table().equals(table.name())) {
                String padding = String.valueOf(StagedCsv.DELIMITER).repeat(table.columns().size() - file.columns().size());
                stagedRows(Files.readString(file.file())).forEach(row -> text.append(row).append(padding).append('\n'));
            }
        }
        return text.toString();
    }

    /** Rows of a staged file: lines, except that a newline inside a quoted value does not end its row. */
    private static List<String> stagedRows(String content) {
        List<String> rows = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == StagedCsv.QUOTE) {
                quoted = !quoted;
            } else if (c == '\n' && !quoted) {
                rows.add(content.substring(start, i));
                start = i + 1;
            }
        }
        return rows;
    }

    private static void schema(NormalizedResource normalized, StringBuilder out) {
        out.append("tables:\n");
        for (TableSchema table : normalized.tables()) {
            out.append("  ").append(table.name()).append(":\n");
            table.parent().ifPresent(parent -> out.append("    parent: ").append(parent).append('\n'));
            out.append("    columns:\n");
            for (Column column : table.columns()) {
                out.append("      - ").append(describe(column)).append('\n');
            }
            out.append("    source names:\n");
            new TreeMap<>(table.sourceNames()).forEach((source, column) -> out.append("      ")
                    .append(quoted(source)).append(": ").append(column).append('\n'));
        }
        out.append("files:\n");
        normalized.files().forEach(file -> out.append("  - ").append(file.file().getFileName()).append(": ")
                .append(file.columns().size()).append(" columns, ").append(file.rows()).append(" rows\n"));
        out.append("counts:\n");
        normalized.counts().forEach(count -> out.append("  ").append(count.table()).append(": rows ").append(count.rows())
                .append(", discarded rows ").append(count.discardedRows()).append(", discarded values ")
                .append(count.discardedValues()).append(", rejected records ").append(count.rejectedRecords()).append('\n'));
    }

    private static String describe(Column column) {
        StringBuilder text = new StringBuilder(column.name()).append(": ").append(column.type());
        if (column.precision() > 0) {
            text.append('(').append(column.precision()).append(',').append(column.scale()).append(')');
        }
        if (!column.nullable()) {
            text.append(", not null");
        }
        column.hints().stream().sorted().forEach(hint -> text.append(", ").append(hint.name().toLowerCase(Locale.ROOT)));
        column.variantOf().ifPresent(of -> text.append(", variant of ").append(of));
        return text.toString();
    }

    /** A source path in double quotes, escaped as in YAML (the variant marker is a control character). */
    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.chars().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.append('"').toString();
    }

    /** Collects what the normalizer reports, in order. */
    private static final class Recorder implements NormalizeListener {
        final List<SchemaChange> changes = new ArrayList<>();
        final List<String> drops = new ArrayList<>();

        @Override
        public void schemaChanged(SchemaChange change) {
            changes.add(change);
        }

        @Override
        public void dropped(String table, String origin, String reason) {
            drops.add(table + ": " + origin + ": " + reason);
        }
    }
}
