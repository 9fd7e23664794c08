package io.sluice.source.sql;

import io.sluice.testing.DuckDbQueries;

/** A DuckDB file as the sql_database source passes the source suite. */
class DuckDbSourceConformanceTest extends SqlSourceConformance {
    DuckDbSourceConformanceTest() {
        super("", "");
    }

    @Override
    String url() {
        return "jdbc:duckdb:" + data().resolve("source.duckdb");
    }

    @Override
    void execute(String... statements) {
        DuckDbQueries.execute(data().resolve("source.duckdb"), statements);
    }
}
