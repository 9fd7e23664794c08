package io.sluice.source.sql;

import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;

/** Pipelines from an sql_database source into the DuckDB file warehouse.duckdb, dataset raw. */
final class SqlSpecs {
    private SqlSpecs() {
    }

    /**
     * @param sourceKeys more keys of the source in YAML (username, resources, include, …), one to a line
     */
    static PipelineSpec spec(String name, String url, String sourceKeys) {
        String keys = sourceKeys.lines().map(line -> "    " + line + "\n").reduce("", String::concat);
        return PipelineSpecs.toSpec(SpecReader.parse("""
                name: %s
                source:
                  sql_database:
                    url: "%s"
                %sdestination: { duckdb: { path: warehouse.duckdb }, dataset: raw }
                """.formatted(name, url, keys), ""), "");
    }
}
