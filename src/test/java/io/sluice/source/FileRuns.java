package io.sluice.source;

import io.sluice.catalog.RunSummary;
import io.sluice.load.DuckDbSettings;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.runs.PipelineRuns;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.Specs;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Runs of one filesystem resource, items, from a directory of test files into warehouse.duckdb (dataset raw). */
final class FileRuns {
    final Path data;
    final Path files;

    FileRuns(String name) throws IOException {
        data = Files.createTempDirectory(name);
        files = Files.createDirectories(data.resolve("files"));
    }

    /** Runs pipeline {@code name} reading {@code glob}, with more keys of the resource in YAML, one to a line. */
    RunSummary run(String name, String glob, String resourceKeys) {
        return run(name, glob, resourceKeys, DuckDbSettings.DEFAULT);
    }

    /** Runs pipeline {@code name} as {@link #run(String, String, String)}, its DuckDB loads under {@code duckDb}. */
    RunSummary run(String name, String glob, String resourceKeys, DuckDbSettings duckDb) {
        return PipelineRuns.run(PipelineSpecs.toSpec(Specs.files(name, files.toString(), glob,
                data.resolve("warehouse.duckdb").toString(), resourceKeys), name), data, Map.of(), duckDb);
    }

    /** The message of what a run threw, with those of its causes. */
    String failure(String name, String glob, String resourceKeys) {
        try {
            run(name, glob, resourceKeys);
        } catch (RuntimeException e) {
            List<String> messages = new ArrayList<>();
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                messages.add(cause.getMessage());
            }
            return String.join(" / ", messages);
        }
        throw new AssertionError("the run did not fail");
    }

    /** Fails unless {@code text} holds each of {@code parts}. */
    static void assertContains(String text, String... parts) {
        for (String part : parts) {
            if (!text.contains(part)) {
                throw new AssertionError("expected '" + part + "' in: " + text);
            }
        }
    }

    List<List<String>> rows(String sql) {
        return DuckDbQueries.rows(data.resolve("warehouse.duckdb"), sql);
    }

    /** The columns of table items, but Sluice's own, with their DuckDB types. */
    List<List<String>> columns(String table) {
        return rows("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'raw'"
                + " AND table_name = '" + table + "' AND column_name NOT LIKE '\\_sluice%' ESCAPE '\\' ORDER BY ordinal_position");
    }

    Path write(String file, String text) throws IOException {
        return write(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    Path write(String file, byte[] bytes) throws IOException {
        return Files.write(files.resolve(file), bytes);
    }

    /** Writes {@code bytes} gzipped. */
    Path gzip(String file, byte[] bytes) throws IOException {
        try (OutputStream output = new GZIPOutputStream(Files.newOutputStream(files.resolve(file)))) {
            output.write(bytes);
        }
        return files.resolve(file);
    }

    /** A Parquet file made by DuckDB from {@code select}. */
    Path parquet(String file, String select) {
        Path target = files.resolve(file);
        DuckDbQueries.execute(data.resolve("scratch.duckdb"), "COPY (" + select + ") TO '" + target + "' (FORMAT PARQUET)");
        return target;
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
