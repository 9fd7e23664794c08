package io.sluice.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * The real PostgreSQL server tests load into, from {@code SLUICE_TEST_PG_HOST}, {@code _PORT}, {@code _USER},
 * {@code _PASSWORD} and {@code _DATABASE} (defaults: a local server, user postgres, password sluice).
 */
public final class PostgresServer {
    public static final String HOST = setting("HOST", "localhost");
    public static final int PORT = Integer.parseInt(setting("PORT", "5432"));
    public static final String USER = setting("USER", "postgres");
    public static final String PASSWORD = setting("PASSWORD", "sluice");
    public static final String DATABASE = setting("DATABASE", "postgres");

    private PostgresServer() {
    }

    /** The YAML of a destination in this server, its password in the secret {@code passwordSecret}. */
    public static String destination(String passwordSecret, String dataset) {
        return "{ postgres: { host: %s, port: %d, database: %s, username: %s, password_secret: %s }, dataset: %s }"
                .formatted(HOST, PORT, DATABASE, USER, passwordSecret, dataset);
    }

    public static Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", PASSWORD);
        return new Driver().connect("jdbc:postgresql://" + HOST + ":" + PORT + "/" + DATABASE, properties);
    }

    /** Removes a dataset and its staging schema, so a test starts from nothing even after an earlier run of the suite. */
    public static void dropDataset(String dataset) {
        execute("DROP SCHEMA IF EXISTS " + dataset + " CASCADE");
        execute("DROP SCHEMA IF EXISTS " + dataset + "_staging CASCADE");
    }

    public static void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public static long count(String sql) {
        return Long.parseLong(rows(sql).getFirst().getFirst());
    }

    /** Every row of the query, each value as text (null as "null"). */
    public static List<List<String>> rows(String sql) {
        try {
            return ResultRows.of(connect(), sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static String setting(String name, String fallback) {
        String value = System.getenv("SLUICE_TEST_PG_" + name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
