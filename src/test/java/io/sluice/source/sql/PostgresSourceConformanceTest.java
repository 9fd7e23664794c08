package io.sluice.source.sql;

import io.sluice.testing.PostgresServer;
import java.util.Map;

/** PostgreSQL as the sql_database source passes the source suite. */
class PostgresSourceConformanceTest extends SqlSourceConformance {
    @Override
    String url() {
        return "jdbc:postgresql://" + PostgresServer.HOST + ":" + PostgresServer.PORT + "/" + PostgresServer.DATABASE;
    }

    @Override
    String credentials() {
        return "username: " + PostgresServer.USER + "\npassword_secret: pg-source\n";
    }

    @Override
    protected Map<String, String> secrets() {
        return Map.of("pg-source", PostgresServer.PASSWORD);
    }

    @Override
    void execute(String... statements) {
        for (String statement : statements) {
            PostgresServer.execute(statement);
        }
    }
}
