package io.sluice.source.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.catalog.RunSummary;
import io.sluice.pipeline.PipelineSpec;
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
        Path source = sourceFile(data,
                "CREATE TABLE products (id INTEGER, price DECIMAL(9,2), tags VARCHAR[], added TIMESTAMPTZ, meta JSON, code UUID)",
                "INSERT INTO products VALUES (1, 9.99, ['a', 'b'], TIMESTAMPTZ '2024-05-01 10:00:00+00', '{\"x\": 1}',"
                        + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'), (2, 0.50, [], NULL, NULL, NULL)",
                "CREATE TABLE stock (product_id INTEGER, quantity BIGINT, counted DATE)",
                "INSERT INTO stock VALUES (1, 12, DATE '2024-05-02')");

        PipelineRuns.run(spec(source, "sql-duckdb", ""), data, Map.of());

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

    @Test
    void aTimestampWithoutTimeZoneCursorIsBoundAsUtcAndADateCursorAsADay() throws Exception {
        Path data = Files.createTempDirectory("sql-duckdb-incremental");
        Path source = sourceFile(data,
                "CREATE TABLE readings (id INTEGER, taken TIMESTAMP, day DATE)",
                "INSERT INTO readings SELECT i, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) HOUR,"
                        + " DATE '2024-01-01' + INTERVAL (i) DAY FROM range(1, 11) t(i)");
        RunSummary byTime = PipelineRuns.run(spec(source, "readings-by-time", """
                resources: [ { name: readings, incremental: { cursor_path: taken, initial_value: "2024-01-01T05:00:00Z",
                  end_value: "2024-01-01T08:00:00Z" } } ]
                """), data, Map.of());
        assertEquals(List.of(new RunSummary.TableRows("readings", 3, 0, 0, 0, 0)), byTime.tables(),
                "5, 6 and 7 o'clock, chosen by the WHERE clause: nothing read was left out");
        RunSummary byDay = PipelineRuns.run(spec(source, "readings-by-day", """
                resources: [ { name: readings, table_name: by_day, incremental: { cursor_path: day, initial_value: "2024-01-09",
                  last_value_function: MIN } } ]
                """), data, Map.of());
        assertEquals(List.of(new RunSummary.TableRows("by_day", 8, 0, 0, 0, 0)), byDay.tables(), "the 9th and every day before it: the 2nd to the 9th");
    }

    @Test
    void rowsStreamInBatchesAndAMaskedTableStillGetsItsMask() throws Exception {
        Path data = Files.createTempDirectory("sql-duckdb-masked");
        Path source = sourceFile(data,
                "CREATE TABLE people (id BIGINT, email VARCHAR, score DOUBLE, active BOOLEAN)",
                "INSERT INTO people SELECT i, 'user' || i || '@example.com', i / 4, i % 2 = 0 FROM range(1, 2501) t(i)",
                "CREATE TABLE orders (id BIGINT, email VARCHAR, amount DOUBLE)",
                "INSERT INTO orders SELECT i, 'buyer' || i || '@example.com', i / 2 FROM range(1, 2501) t(i)");
        PipelineSpec spec = PipelineSpecs.toSpec(SpecReader.parse("""
                name: masked-sql
                source: { sql_database: { url: "jdbc:duckdb:%s", resources: [ { name: people }, { name: orders } ] } }
                destination: { duckdb: { path: warehouse.duckdb }, dataset: raw }
                transforms:
                  - { resource: people, mask: { columns: [email], method: REDACT } }
                """.formatted(source), ""), "");

        RunSummary summary = PipelineRuns.run(spec, data, Map.of());

        assertEquals(List.of(new RunSummary.TableRows("people", 2500, 0, 0, 0, 0), new RunSummary.TableRows("orders", 2500, 0, 0, 0, 0)),
                summary.tables());
        Path warehouse = data.resolve("warehouse.duckdb");
        assertEquals(List.of(List.of("2500", "0", "781562.5", "1250")), DuckDbQueries.rows(warehouse,
                "SELECT count(*), count(*) FILTER (WHERE email LIKE '%@example.com'), sum(score), count(*) FILTER (WHERE active)"
                        + " FROM raw.people"), "masked in every batch: the masked table went as items");
        assertEquals(List.of(List.of("2500", "3126250", "buyer2500@example.com", "1563125.0")), DuckDbQueries.rows(warehouse,
                "SELECT count(*), sum(id), max_by(email, id), sum(amount) FROM raw.orders"), "the typed rows of three batches, whole");
    }

    /** The source database: a DuckDB file in {@code data} made by {@code statements}. */
    private static Path sourceFile(Path data, String... statements) {
        Path source = data.resolve("source.duckdb");
        DuckDbQueries.execute(source, statements);
        return source;
    }

    private static PipelineSpec spec(Path source, String name, String sourceKeys) {
        return SqlSpecs.spec(name, "jdbc:duckdb:" + source, sourceKeys);
    }
}
