package io.sluice.source.rest;

import io.sluice.catalog.RunSummary;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.runs.PipelineRuns;
import io.sluice.testing.DuckDbQueries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs REST pipelines against a test's server into a DuckDB file of their own, and reads the rows that landed. */
final class RestRuns {
    private final Path data;
    private final Map<String, String> secrets;

    RestRuns(Map<String, String> secrets) {
        try {
            data = Files.createTempDirectory("rest-api");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.secrets = Map.copyOf(secrets);
    }

    /** Runs a pipeline named {@code rest} whose source is {@code source} (YAML of the rest_api mapping) into dataset raw. */
    RunSummary run(String source) {
        String yaml = "name: rest\nsource:\n  rest_api:\n" + source.indent(4) + "destination: { duckdb: { path: rest.duckdb }, dataset: raw }\n";
        return PipelineRuns.run(PipelineSpecs.toSpec(SpecReader.parse(yaml, "test"), "test"), data, secrets);
    }

    List<List<String>> rows(String sql) {
        return DuckDbQueries.rows(data.resolve("rest.duckdb"), sql);
    }
}
