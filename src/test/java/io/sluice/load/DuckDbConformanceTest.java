package io.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.PostgresPassword;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;

/**
 * DuckDB passes the destination conformance suite: a file of its own per dataset, in the data directory. And it stores
 * a row's own id with the compression its file's storage version allows.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
@QuarkusTestResource(PostgresPassword.class)
class DuckDbConformanceTest extends DestinationConformance {
    @Override
    String kind() {
        return "duckdb";
    }

    @Override
    String destination(String dataset) {
        return "{ duckdb: { path: %s-file.duckdb }, dataset: %s }".formatted(dataset, dataset);
    }

    @Override
    List<List<String>> rows(String dataset, String sql) {
        return DuckDbQueries.rows(config.dataDir().resolve(dataset + "-file.duckdb"), sql);
    }

    @Override
    void execute(String dataset, String sql) {
        DuckDbQueries.execute(config.dataDir().resolve(dataset + "-file.duckdb"), sql);
    }

    @Test
    void rowIdsAreCompressedWithZstd() throws Exception {
        Fixture fixture = new Fixture("row_ids");
        fixture.completed("", "{\"id\": 1, \"name\": \"a\", \"tags\": [\"x\", \"y\"]}", "{\"id\": 2, \"name\": \"b\"}");
        assertEquals(List.of(List.of("ZSTD")), compression(fixture, "items", "_sluice_id"));
        for (String id : List.of("_sluice_id", "_sluice_parent_id", "_sluice_root_id")) {
            assertEquals(List.of(List.of("ZSTD")), compression(fixture, "items__tags", id), id);
        }
        assertEquals(List.of(List.of("v2.0.0+")), fixture.query(STORAGE_VERSION));
    }

    @Test
    void aFileOfAStorageVersionBeforeZstdKeepsDuckDbsOwnChoice() throws Exception {
        Fixture fixture = new Fixture("old_storage");
        // as a DuckDB older than 1.2 made it, or one told to keep that version for its readers
        try (Connection memory = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
             Statement statement = memory.createStatement()) {
            statement.execute("ATTACH '" + config.dataDir().resolve(fixture.dataset + "-file.duckdb") + "' AS old (STORAGE_VERSION 'v1.0.0')");
            statement.execute("DETACH old");
        }
        fixture.completed("", "{\"id\": 1, \"name\": \"a\"}", "{\"id\": 2, \"name\": \"b\"}");
        assertEquals(List.of(List.of("1", "a"), List.of("2", "b")), fixture.query("SELECT id, name FROM {ds}.items ORDER BY id"));
        assertNotEquals(List.of(List.of("ZSTD")), compression(fixture, "items", "_sluice_id"));
        assertEquals(List.of(List.of("v1.0.0+")), fixture.query(STORAGE_VERSION));
    }

    private static final String STORAGE_VERSION =
            "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()";

    /** How the text of {@code column} of the fixture's {@code table} is stored. */
    private static List<List<String>> compression(Fixture fixture, String table, String column) {
        return fixture.query("SELECT DISTINCT compression FROM pragma_storage_info('{ds}." + table + "') WHERE column_name = '"
                + column + "' AND segment_type = 'VARCHAR'");
    }
}
