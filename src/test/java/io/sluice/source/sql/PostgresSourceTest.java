package io.sluice.source.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalog.RunSummary;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.runs.PipelineRuns;
import io.sluice.source.RequestListener;
import io.sluice.source.Source;
import io.sluice.source.SourceException;
import io.sluice.source.SourceState;
import io.sluice.source.Sources;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    @Test
    void discoveryPicksTablesByPatternAndAResourceOverridesOnesHints() throws Exception {
        PostgresServer.execute("""
                CREATE TABLE sql_source_test.customers (id int PRIMARY KEY, name text);
                INSERT INTO sql_source_test.customers VALUES (1, 'Ada'), (2, 'Grace');
                CREATE TABLE sql_source_test.orders_2024 (id int, total numeric(8,2));
                INSERT INTO sql_source_test.orders_2024 VALUES (1, 10.50);
                CREATE TABLE sql_source_test.orders_2025 (id int, total numeric(8,2));
                INSERT INTO sql_source_test.orders_2025 VALUES (1, 20.25), (2, 30.00);
                """);
        Path data = Files.createTempDirectory("sql-discovery");
        PipelineSpec spec = spec("""
                include: ["orders_*", "customers"]
                exclude: ["*_2024"]
                resources: [ { name: customers, primary_key: [id], write_disposition: MERGE } ]
                """);
        PipelineRuns.run(spec, data, SECRETS);
        PipelineRuns.run(spec, data, SECRETS);

        Path database = data.resolve("warehouse.duckdb");
        assertEquals(List.of(List.of("customers"), List.of("orders_2025")), DuckDbQueries.rows(database, "SELECT table_name FROM"
                + " information_schema.tables WHERE table_schema = 'raw' AND table_name NOT LIKE '\\_sluice%' ESCAPE '\\' ORDER BY 1"),
                "typed was not included, orders_2024 excluded");
        assertEquals(List.of(List.of("1", "Ada"), List.of("2", "Grace")), DuckDbQueries.rows(database,
                "SELECT id, name FROM raw.customers ORDER BY id"), "merged on the primary key the resource declares");
        assertEquals(List.of(List.of("1", "20.25"), List.of("1", "20.25"), List.of("2", "30.00"), List.of("2", "30.00")),
                DuckDbQueries.rows(database, "SELECT id, total FROM raw.orders_2025 ORDER BY id"), "appended, the default");
    }

    @Test
    void tablesStreamInChunksAndInParallel() throws Exception {
        for (String table : List.of("bulk_a", "bulk_b", "bulk_c")) {
            PostgresServer.execute("CREATE TABLE sql_source_test." + table + " AS SELECT i AS id, md5(i::text) AS digest"
                    + " FROM generate_series(1, 20000) i");
        }
        Path data = Files.createTempDirectory("sql-chunks");
        RunSummary summary = PipelineRuns.run(spec("""
                include: ["bulk_*"]
                chunk_size: 500
                """), data, SECRETS);

        assertEquals(List.of(new RunSummary.TableRows("bulk_a", 20_000), new RunSummary.TableRows("bulk_b", 20_000),
                new RunSummary.TableRows("bulk_c", 20_000)), summary.tables());
        assertEquals(List.of(List.of("20000", "20000", "200010000")), DuckDbQueries.rows(data.resolve("warehouse.duckdb"),
                "SELECT count(*), count(DISTINCT digest), sum(id) FROM raw.bulk_b"));
    }

    @Test
    void aQueryIsAResourceWithTheColumnsItSelects() throws Exception {
        Path database = loadQuery("doubled", "SELECT id, amount * 2 AS twice, note || '!' AS loud FROM sql_source_test.typed WHERE id = 1;");
        assertEquals(List.of(List.of("1", "2469135780.240000000", "first!")), DuckDbQueries.rows(database,
                "SELECT id, twice, loud FROM raw.doubled"));
        assertEquals(List.of(List.of("BIGINT"), List.of("DECIMAL(38,9)"), List.of("VARCHAR")), DuckDbQueries.rows(database,
                "SELECT data_type FROM information_schema.columns WHERE table_name = 'doubled' AND column_name NOT LIKE '\\_sluice%'"
                        + " ESCAPE '\\' ORDER BY ordinal_position"));
    }

    @Test
    void aQueryWhoseColumnsShareANameLoadsEveryRowWithTheLastOfThem() throws Exception {
        Path database = loadQuery("shared", "SELECT g AS id, g * 10 AS id FROM generate_series(1, 3000) g");

        assertEquals(List.of(List.of("3000", "45015000", "10", "30000")), DuckDbQueries.rows(database,
                "SELECT count(*), sum(id), min(id), max(id) FROM raw.shared"));
    }

    /** Runs a pipeline whose one resource, {@code name}, is {@code query}; the DuckDB file it loaded into. */
    private static Path loadQuery(String name, String query) throws IOException {
        Path data = Files.createTempDirectory("sql-query");
        PipelineRuns.run(spec("""
                resources:
                  - name: %s
                    query: "%s"
                """.formatted(name, query)), data, SECRETS);
        return data.resolve("warehouse.duckdb");
    }

    @Test
    void anIncrementalCursorColumnIsPushedIntoTheWhereClause() throws Exception {
        PostgresServer.execute("""
                CREATE TABLE sql_source_test.events (id int, updated_at timestamptz, kind text);
                INSERT INTO sql_source_test.events
                  SELECT i, timestamptz '2024-01-01 00:00:00+00' + (i - 1) * interval '1 day', 'k' || i FROM generate_series(1, 5) i;
                INSERT INTO sql_source_test.events VALUES (99, NULL, 'no cursor');
                """);
        Path data = Files.createTempDirectory("sql-incremental");
        PipelineSpec spec = spec("""
                resources:
                  - name: events
                    primary_key: [id]
                    incremental: { cursor_path: updated_at, initial_value: "2024-01-02T00:00:00Z", row_order: ASC }
                """);
        RunSummary first = PipelineRuns.run(spec, data, SECRETS);
        assertEquals(List.of(new RunSummary.TableRows("events", 4, 0, 0, 1, 0)), first.tables(),
                "2 to 5 read, 1 left out by the WHERE clause, never read; the row without a cursor rejected by name");

        PostgresServer.execute("INSERT INTO sql_source_test.events VALUES (6, '2024-01-06 00:00:00+00', 'k6'), (7, '2024-01-07 00:00:00+00', 'k7')");
        RunSummary second = PipelineRuns.run(spec, data, SECRETS);
        assertEquals(List.of(new RunSummary.TableRows("events", 2, 0, 0, 1, 1)), second.tables(),
                "6 and 7; 5 was read again at the stored last value and left out as loaded before");
        assertEquals(List.of(List.of("2", "7", "6")), DuckDbQueries.rows(data.resolve("warehouse.duckdb"),
                "SELECT min(id), max(id), count(*) FROM raw.events"));
    }

    @Test
    void errorsNameTheDatabaseAndTheTableOrQueryNeverThePassword() throws Exception {
        Path data = Files.createTempDirectory("sql-errors");
        String address = "jdbc:postgresql://" + PostgresServer.HOST + ":" + PostgresServer.PORT + "/" + PostgresServer.DATABASE;

        SourceException wrongPassword = assertThrows(SourceException.class, () -> PipelineRuns.run(spec("""
                resources: [ { name: typed } ]
                """), data, Map.of("pg-source", "not-the-password-42")));
        assertTrue(wrongPassword.getMessage().startsWith("cannot connect to " + address + " as " + PostgresServer.USER + ": "),
                wrongPassword.getMessage());
        assertTrue(wrongPassword.getMessage().contains("password authentication failed"), wrongPassword.getMessage());
        assertFalse(wrongPassword.getMessage().contains("not-the-password-42"), wrongPassword.getMessage());
        assertFalse(wrongPassword.transientFailure(), "a wrong password stays wrong");

        SourceException syntax = assertThrows(SourceException.class, () -> PipelineRuns.run(spec("""
                resources: [ { name: broken, query: "SELEKT id FROM sql_source_test.typed" } ]
                """), data, SECRETS));
        assertTrue(syntax.getMessage().startsWith("cannot read the query of resource broken of " + address + ": "), syntax.getMessage());
        assertTrue(syntax.getMessage().contains("syntax error"), syntax.getMessage());

        SourceException missing = assertThrows(SourceException.class, () -> PipelineRuns.run(spec("""
                resources: [ { name: nowhere } ]
                """), data, SECRETS));
        assertTrue(missing.getMessage().startsWith("cannot read table sql_source_test.nowhere of " + address + ": "), missing.getMessage());
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void aDatabaseThatCannotBeReachedFailsTransiently() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PipelineSpec spec = PipelineSpecs.toSpec(SpecReader.parse("""
                name: sql-unreachable
                source: { sql_database: { url: "jdbc:postgresql://127.0.0.1:%d/shop?ApplicationName=in-the-url", resources: [ { name: t } ] } }
                destination: { duckdb: { path: warehouse.duckdb } }
                """.formatted(closedPort), ""), "");
        SourceException unreachable = assertThrows(SourceException.class,
                () -> PipelineRuns.run(spec, Files.createTempDirectory("sql-unreachable"), Map.of()));
        assertTrue(unreachable.getMessage().startsWith("cannot connect to jdbc:postgresql://127.0.0.1:" + closedPort + "/shop: "),
                unreachable.getMessage());
        assertFalse(unreachable.getMessage().contains("in-the-url"), unreachable.getMessage());
        assertTrue(unreachable.transientFailure(), "a database that is down may be up on the next attempt");
    }

    @Test
    void aTableThatDisappearsMidRunIsNamed() {
        PostgresServer.execute("CREATE TABLE sql_source_test.fleeting (id int); INSERT INTO sql_source_test.fleeting VALUES (1)");
        PipelineSpec spec = spec("""
                resources: [ { name: fleeting } ]
                """);
        Source source = Sources.open(spec.source(), SECRETS::get, RequestListener.NONE);
        source.resolve(spec.source().resources());
        PostgresServer.execute("DROP TABLE sql_source_test.fleeting");

        List<Map<String, Object>> items = new ArrayList<>();
        SourceException gone = assertThrows(SourceException.class, () -> source.extract("fleeting", Optional.empty(),
                new SourceState(Optional.empty()), new CollectingSink(items)));
        assertTrue(gone.getMessage().startsWith("cannot read table sql_source_test.fleeting of jdbc:postgresql://"), gone.getMessage());
        assertTrue(gone.getMessage().contains("does not exist"), gone.getMessage());
        assertEquals(List.of(), items);
    }

    private static PipelineSpec spec(String sourceKeys) {
        return SqlSpecs.spec("sql-postgres", "jdbc:postgresql://" + PostgresServer.HOST + ":" + PostgresServer.PORT + "/"
                + PostgresServer.DATABASE, "username: " + PostgresServer.USER + "\npassword_secret: pg-source\nschema: " + SCHEMA + "\n" + sourceKeys);
    }
}
