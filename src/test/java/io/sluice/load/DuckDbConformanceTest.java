package io.sluice.load;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.PostgresPassword;
import java.util.List;

/** DuckDB passes the destination conformance suite: a file of its own per dataset, in the data directory. */
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
}
