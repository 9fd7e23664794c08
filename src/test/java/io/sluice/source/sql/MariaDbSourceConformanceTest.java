package io.sluice.source.sql;

import io.sluice.testing.EmbeddedMariaDb;

/** MariaDB as the sql_database source passes the source suite. */
class MariaDbSourceConformanceTest extends SqlSourceConformance {
    MariaDbSourceConformanceTest() {
        super(EmbeddedMariaDb.USER, EmbeddedMariaDb.PASSWORD);
    }

    @Override
    String url() {
        return "jdbc:mariadb://" + EmbeddedMariaDb.HOST + ":" + EmbeddedMariaDb.shared().port() + "/" + EmbeddedMariaDb.DATABASE;
    }

    @Override
    void execute(String... statements) {
        EmbeddedMariaDb.shared().execute(statements);
    }
}
