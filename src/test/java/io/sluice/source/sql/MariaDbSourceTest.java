package io.sluice.source.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.catalog.RunSummary;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.runs.PipelineRuns;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.EmbeddedMariaDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MariaDB tables read into a real DuckDB file, from the server the tests start themselves. */
class MariaDbSourceTest {
    private static final Map<String, String> SECRETS = Map.of("maria", EmbeddedMariaDb.PASSWORD);
    private static EmbeddedMariaDb server;

    @BeforeAll
    static void createTables() {
        server = EmbeddedMariaDb.shared();
        server.execute("DROP TABLE IF EXISTS typed", """
                CREATE TABLE typed (id INT PRIMARY KEY, huge BIGINT UNSIGNED, amount DECIMAL(10,3), ratio DOUBLE, paid BOOLEAN,
                  note VARCHAR(20), placed_at DATETIME(3), stamped TIMESTAMP NULL, day DATE, at_time TIME, payload BLOB, ref UUID)
                """, """
                INSERT INTO typed VALUES
                  (1, 18446744073709551615, 1234567.125, 0.5, TRUE, 'first', '2024-05-01 10:00:00.250', '2024-05-01 10:00:00',
                   '2024-05-01', '10:15:30', x'DEADBEEF', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
                  (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
                """);
    }

    @Test
    void aTableLandsWithTheDatabasesColumnTypes() throws Exception {
        Path data = Files.createTempDirectory("sql-mariadb");
        PipelineRuns.run(spec("mariadb", "resources: [ { name: typed, primary_key: [id] } ]"), data, SECRETS);

        Path database = data.resolve("warehouse.duckdb");
        assertEquals(List.of(List.of("id", "BIGINT"), List.of("huge", "DECIMAL(20,0)"), List.of("amount", "DECIMAL(10,3)"),
                        List.of("ratio", "DOUBLE"), List.of("paid", "BOOLEAN"), List.of("note", "VARCHAR"),
                        List.of("placed_at", "TIMESTAMP WITH TIME ZONE"), List.of("stamped", "TIMESTAMP WITH TIME ZONE"),
                        List.of("day", "DATE"), List.of("at_time", "TIME"), List.of("payload", "BLOB"), List.of("ref", "VARCHAR")),
                DuckDbQueries.rows(database, "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'raw'"
                        + " AND table_name = 'typed' AND column_name NOT LIKE '\\_sluice%' ESCAPE '\\' ORDER BY ordinal_position"));
        assertEquals(List.of(List.of("1", "18446744073709551615", "1234567.125", "0.5", "true", "first", "2024-05-01 10:00:00.250",
                        "2024-05-01", "10:15:30", "deadbeef", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
                List.of("2", "null", "null", "null", "null", "null", "null", "null", "null", "null", "null")),
                DuckDbQueries.rows(database, "SELECT id, huge, amount, ratio, paid, note,"
                        + " strftime(placed_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S.%g'), day, at_time, lower(hex(payload)), ref"
                        + " FROM raw.typed ORDER BY id"));
    }

    @Test
    void aMySqlUrlAndAnIncrementalIdCursorReadOnlyNewRows() throws Exception {
        server.execute("DROP TABLE IF EXISTS numbered", "CREATE TABLE numbered (id INT PRIMARY KEY, label VARCHAR(10))",
                "INSERT INTO numbered VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        Path data = Files.createTempDirectory("sql-mariadb-incremental");
        PipelineSpec spec = spec("mysql", """
                resources: [ { name: numbered, incremental: { cursor_path: id }, write_disposition: MERGE, primary_key: [id] } ]
                chunk_size: 2
                """);
        assertEquals(3, PipelineRuns.run(spec, data, SECRETS).rows());
        server.execute("INSERT INTO numbered VALUES (4, 'd'), (5, 'e')");
        RunSummary second = PipelineRuns.run(spec, data, SECRETS);
        assertEquals(List.of(new RunSummary.TableRows("numbered", 2, 0, 0, 0, 1)), second.tables(),
                "4 and 5; 3 read again at the stored last value, and left out");
        assertEquals(List.of(List.of("5", "e")), DuckDbQueries.rows(data.resolve("warehouse.duckdb"),
                "SELECT count(*), max(label) FROM raw.numbered"));
    }

    private static PipelineSpec spec(String scheme, String sourceKeys) {
        return SqlSpecs.spec("sql-mariadb", "jdbc:" + scheme + "://" + EmbeddedMariaDb.HOST + ":" + server.port() + "/"
                + EmbeddedMariaDb.DATABASE, "username: " + EmbeddedMariaDb.USER + "\npassword_secret: maria\n" + sourceKeys);
    }
}
