package io.sluice.source.sql;

import io.sluice.testing.PostgresServer;

/** PostgreSQL as the sql_database source passes the source suite. */
class PostgresSourceConformanceTest extends SqlSourceConformance {
    PostgresSourceConformanceTest() {
        super(PostgresServer.USER, PostgresServer.PASSWORD);
    }

    @Override
    String url() {
        return "jdbc:postgresql://" + PostgresServer.HOST + ":" + PostgresServer.PORT + "/" + PostgresServer.DATABASE;
    }

    @Override
    void execute(String... statements) {
        for (String statement : statements) {
            PostgresServer.execute(statement);
        }
    }
}
