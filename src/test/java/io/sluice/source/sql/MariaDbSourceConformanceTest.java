package io.sluice.source.sql;

import io.sluice.testing.EmbeddedMariaDb;
import java.util.Map;

/** MariaDB as the sql_database source passes the source suite. */
class MariaDbSourceConformanceTest extends SqlSourceConformance {
    @Override
    String url() {
        return "jdbc:mariadb://" + EmbeddedMariaDb.HOST + ":" + EmbeddedMariaDb.shared().port() + "/" + EmbeddedMariaDb.DATABASE;
    }

    @Override
    String credentials() {
        return "username: " + EmbeddedMariaDb.USER + "\npassword_secret: maria\n";
    }

    @Override
    protected Map<String, String> secrets() {
        return Map.of("maria", EmbeddedMariaDb.PASSWORD);
    }

    @Override
    void execute(String... statements) {
        EmbeddedMariaDb.shared().execute(statements);
    }
}
