package io.sluice.source.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.runs.PipelineRuns;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PostgreSQL tables and queries read into a real DuckDB file, each column typed as the database types it. */
class PostgresSourceTest {
    private static final String SCHEMA = "sql_source_test";
    private static final Map<String, String> SECRETS = Map.of("pg-source", PostgresServer.PASSWORD);

    @BeforeAll
    static void createTables() {
        PostgresServer.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        PostgresServer.execute("CREATE SCHEMA " + SCHEMA);
        PostgresServer.execute("""
                CREATE TABLE sql_source_test.typed (
                  id bigint PRIMARY KEY, small smallint, amount numeric(12,2), unbounded numeric, ratio double precision,
                  single real, paid boolean, note text, code varchar(10), placed_at timestamptz, local_at timestamp,
                  day date, at_time time, doc jsonb, plain_json json, ref uuid, tags text[], numbers int[], payload bytea)
                """);
        PostgresServer.execute("""
                INSERT INTO sql_source_test.typed VALUES
                  (1, 7, 1234567890.12, 3.5, 0.25, 1.5, true, 'first', '00501', '2024-05-01 10:00:00+02', '2024-05-01 10:00:00',
                   '2024-05-01', '10:15:30', '{"a": {"b": [1, 2]}}', '[1, "x"]', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
                   '{red,green}', '{1,2,3}', '\\xdeadbeef'),
                  (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
                """);
    }

    @Test
    void aTableLandsWithTheDatabasesColumnTypes() throws Exception {
        Path data = Files.createTempDirectory("sql-postgres");
        PipelineRuns.run(spec("""
                resources: [ { name: typed, primary_key: [id] } ]
                """), data, SECRETS);

        Path database = data.resolve("warehouse.duckdb");
        assertEquals(List.of(
                List.of("id", "BIGINT"), List.of("small", "BIGINT"), List.of("amount", "DECIMAL(12,2)"),
                List.of("unbounded", "DECIMAL(38,9)"), List.of("ratio", "DOUBLE"), List.of("single", "DOUBLE"),
                List.of("paid", "BOOLEAN"), List.of("note", "VARCHAR"), List.of("code", "VARCHAR"),
                List.of("placed_at", "TIMESTAMP WITH TIME ZONE"), List.of("local_at", "TIMESTAMP WITH TIME ZONE"),
                List.of("day", "DATE"), List.of("at_time", "TIME"), List.of("doc", "JSON"), List.of("plain_json", "JSON"),
                List.of("ref", "VARCHAR"), List.of("tags", "JSON"), List.of("numbers", "JSON"), List.of("payload", "BLOB")),
                DuckDbQueries.rows(database, "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'raw'"
                        + " AND table_name = 'typed' AND column_name NOT LIKE '\\_sluice%' ESCAPE '\\' ORDER BY ordinal_position"));
        assertEquals(List.of(List.of("1", "7", "1234567890.12", "3.500000000", "0.25", "1.5", "true", "first", "00501",
                        "2024-05-01 08:00:00+00", "2024-05-01 10:00:00+00", "2024-05-01", "10:15:30", "{\"a\":{\"b\":[1,2]}}",
                        "[1,\"x\"]", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "[\"red\",\"green\"]", "[1,2,3]", "deadbeef"),
                List.of("2", "null", "null", "null", "null", "null", "null", "null", "null", "null", "null", "null", "null", "null",
                        "null", "null", "null", "null", "null")),
                DuckDbQueries.rows(database, "SELECT id, small, amount, unbounded, ratio, single, paid, note, code,"
                        + " strftime(placed_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S+00'),"
                        + " strftime(local_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S+00'), day, at_time, doc, plain_json, ref, tags,"
                        + " numbers, lower(hex(payload)) FROM raw.typed ORDER BY id"));
    }

    private static PipelineSpec spec(String sourceKeys) {
        String keys = sourceKeys.lines().map(line -> "    " + line + "\n").reduce("", String::concat);
        return PipelineSpecs.toSpec(SpecReader.parse("""
                name: sql-postgres
                source:
                  sql_database:
                    url: "jdbc:postgresql://%s:%d/%s"
                    username: %s
                    password_secret: pg-source
                    schema: %s
                %sdestination: { duckdb: { path: warehouse.duckdb }, dataset: raw }
                """.formatted(PostgresServer.HOST, PostgresServer.PORT, PostgresServer.DATABASE, PostgresServer.USER, SCHEMA, keys),
                ""), "");
    }
}
