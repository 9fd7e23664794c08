package io.sluice.source.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.runs.PipelineRuns;
import io.sluice.testing.DuckDbQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A DuckDB file as the source database, read into another DuckDB file. */
class DuckDbSourceTest {
    @Test
    void everyTableOfTheSchemaLandsTyped() throws Exception {
        Path data = Files.createTempDirectory("sql-duckdb");
        Path source = data.resolve("source.duckdb");
        DuckDbQueries.execute(source,
                "CREATE TABLE products (id INTEGER, price DECIMAL(9,2), tags VARCHAR[], added TIMESTAMPTZ, meta JSON, code UUID)",
                "INSERT INTO products VALUES (1, 9.99, ['a', 'b'], TIMESTAMPTZ '2024-05-01 10:00:00+00', '{\"x\": 1}',"
                        + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'), (2, 0.50, [], NULL, NULL, NULL)",
                "CREATE TABLE stock (product_id INTEGER, quantity BIGINT, counted DATE)",
                "INSERT INTO stock VALUES (1, 12, DATE '2024-05-02')");

        PipelineRuns.run(PipelineSpecs.toSpec(SpecReader.parse("""
                name: sql-duckdb
                source: { sql_database: { url: "jdbc:duckdb:%s" } }
                destination: { duckdb: { path: warehouse.duckdb }, dataset: raw }
                """.formatted(source), ""), ""), data, Map.of());

        Path warehouse = data.resolve("warehouse.duckdb");
        assertEquals(List.of(List.of("products", "id", "BIGINT"), List.of("products", "price", "DECIMAL(9,2)"),
                        List.of("products", "tags", "JSON"), List.of("products", "added", "TIMESTAMP WITH TIME ZONE"),
                        List.of("products", "meta", "JSON"), List.of("products", "code", "VARCHAR"),
                        List.of("stock", "product_id", "BIGINT"), List.of("stock", "quantity", "BIGINT"), List.of("stock", "counted", "DATE")),
                DuckDbQueries.rows(warehouse, "SELECT table_name, column_name, data_type FROM information_schema.columns"
                        + " WHERE table_schema = 'raw' AND table_name NOT LIKE '\\_sluice%' ESCAPE '\\'"
                        + " AND column_name NOT LIKE '\\_sluice%' ESCAPE '\\' ORDER BY table_name, ordinal_position"));
        assertEquals(List.of(List.of("1", "9.99", "[\"a\",\"b\"]", "2024-05-01 10:00:00", "{\"x\":1}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
                        List.of("2", "0.50", "[]", "null", "null", "null")),
                DuckDbQueries.rows(warehouse, "SELECT id, price, tags, strftime(added AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S'), meta, code"
                        + " FROM raw.products ORDER BY id"));
        assertEquals(List.of(List.of("1", "12", "2024-05-02")), DuckDbQueries.rows(warehouse, "SELECT * EXCLUDE (_sluice_load_id, _sluice_id)"
                + " FROM raw.stock"));
    }
}
