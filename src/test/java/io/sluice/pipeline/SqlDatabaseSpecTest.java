package io.sluice.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sluice.pipeline.SqlDatabaseSourceSpec.SqlResource;
import io.sluice.schema.WriteDisposition;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sql_database source of a spec: what it maps to, and every way it is refused, by field path. */
class SqlDatabaseSpecTest {
    @Test
    void aSourceMapsWithItsDefaults() {
        SqlDatabaseSourceSpec source = (SqlDatabaseSourceSpec) PipelineSpecs.toSpec(SpecReader.parse("""
                name: shop
                source:
                  sql_database:
                    url: "jdbc:postgresql://db:5432/shop"
                    username: reader
                    password_secret: shop-db
                    include: ["orders_*"]
                    resources:
                      - { name: customers, primary_key: [id], write_disposition: MERGE, included_columns: [id, name] }
                      - { name: totals, query: "SELECT 1 AS one" }
                destination: { duckdb: { path: shop.duckdb } }
                """, ""), "").source();
        assertEquals(Optional.of("reader"), source.username());
        assertEquals(Optional.of("shop-db"), source.passwordSecret());
        assertEquals(Optional.empty(), source.schema());
        assertEquals(SqlDatabaseSourceSpec.DEFAULT_CHUNK_SIZE, source.chunkSize());
        SqlResource customers = source.resources().getFirst();
        assertEquals(Optional.of("customers"), customers.table(), "a resource without table or query reads the table of its name");
        assertEquals(List.of("id", "name"), customers.includedColumns());
        assertEquals(WriteDisposition.MERGE, customers.hints().writeDisposition());
        assertEquals(Optional.of("SELECT 1 AS one"), source.resources().get(1).query());
        assertEquals(Optional.empty(), source.resources().get(1).table());
        assertEquals(true, source.discovers());
    }

    @Test
    void everyProblemIsNamedByItsField() {
        List<Problem> problems = PipelineSpecs.problems(SpecReader.parse("""
                name: broken
                source:
                  sql_database:
                    url: "postgres://db/shop"
                    password_secret: "s3cret password!"
                    chunk_size: -5
                    include: ["has space"]
                    resources:
                      - { name: both, table: a, query: "SELECT 1" }
                      - { name: picky, query: "SELECT 1", included_columns: [x] }
                      - { name: files, glob: "*.csv" }
                destination: { duckdb: { path: x.duckdb } }
                """, ""));
        assertEquals(List.of("source.sql_database.url", "source.sql_database.password_secret", "source.sql_database.chunk_size",
                "source.sql_database.include[0]", "source.sql_database.resources[0].query",
                "source.sql_database.resources[1].included_columns", "source.sql_database.resources[2].glob"),
                problems.stream().map(Problem::field).toList());
        assertFalse(problems.toString().contains("s3cret"), "a password put where its secret's name goes is never echoed");
    }

    @Test
    void aFileResourceRefusesTheColumnsOfATable() {
        List<Problem> problems = PipelineSpecs.problems(SpecReader.parse("""
                name: files
                source: { filesystem: { resources: [ { name: a, glob: "*.csv", included_columns: [x] } ] } }
                destination: { duckdb: { path: x.duckdb } }
                """, ""));
        assertEquals(List.of("source.filesystem.resources[0].included_columns"), problems.stream().map(Problem::field).toList());
    }
}
