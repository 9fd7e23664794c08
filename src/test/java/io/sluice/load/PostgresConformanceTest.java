package io.sluice.load;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.PostgresPassword;
import io.sluice.testing.PostgresServer;
import java.util.List;

/** PostgreSQL passes the destination conformance suite: a schema of its own per dataset, in the test server. */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
@QuarkusTestResource(PostgresPassword.class)
class PostgresConformanceTest extends DestinationConformance {
    @Override
    String kind() {
        return "postgres";
    }

    @Override
    String destination(String dataset) {
        PostgresServer.dropDataset(dataset);
        return PostgresServer.destination(PostgresPassword.SECRET, dataset);
    }

    @Override
    List<List<String>> rows(String dataset, String sql) {
        return PostgresServer.rows(sql);
    }

    @Override
    void execute(String dataset, String sql) {
        PostgresServer.execute(sql);
    }
}
