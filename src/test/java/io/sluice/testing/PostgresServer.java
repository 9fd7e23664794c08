package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The real PostgreSQL server tests load into: the one this JVM starts itself ({@link EmbeddedPostgres}: user postgres,
 * password sluice, database postgres), or, when {@code SLUICE_TEST_PG_HOST} is set, that server, with
 * {@code SLUICE_TEST_PG_PORT}, {@code _USER}, {@code _PASSWORD} and {@code _DATABASE} (defaults: 5432, postgres, sluice,
 * postgres). Reading any of the constants starts the embedded server, once per JVM.
 */
public final class PostgresServer {
    /** The server this JVM started, absent when the tests use one of their own. */
    private static final Optional<EmbeddedPostgres> EMBEDDED = setting("HOST", "").isEmpty()
            ? Optional.of(EmbeddedPostgres.shared()) : Optional.empty();
    public static final String HOST = EMBEDDED.isPresent() ? EmbeddedPostgres.HOST : setting("HOST", "");
    public static final int PORT = EMBEDDED.map(EmbeddedPostgres::port).orElseGet(() -> Integer.parseInt(setting("PORT", "5432")));
    public static final String USER = EMBEDDED.isPresent() ? EmbeddedPostgres.USER : setting("USER", "postgres");
    public static final String PASSWORD = EMBEDDED.isPresent() ? EmbeddedPostgres.PASSWORD : setting("PASSWORD", "sluice");
    public static final String DATABASE = EMBEDDED.isPresent() ? EmbeddedPostgres.DATABASE : setting("DATABASE", "postgres");

    private PostgresServer() {
    }

    /** Whether the tests use the server this JVM started (no {@code SLUICE_TEST_PG_HOST}). */
    static boolean embedded() {
        return EMBEDDED.isPresent();
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

    /** A data source whose connections use {@code schema}, made afresh (dropped first): a catalog of its own in this server. */
    public static DataSource freshSchema(String schema) {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        execute("CREATE SCHEMA " + schema);
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setServerNames(new String[] {HOST});
        source.setPortNumbers(new int[] {PORT});
        source.setDatabaseName(DATABASE);
        source.setUser(USER);
        source.setPassword(PASSWORD);
        source.setCurrentSchema(schema);
        return source;
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

    /**
     * Restarts the server while a test runs, as an operator would (fast mode: sessions are ended with "terminating
     * connection due to administrator command", new ones are refused until the server is back): the embedded server with
     * {@code pg_ctl restart}, a Debian cluster on this machine with {@code pg_ctlcluster … restart}. A server this test
     * cannot restart (not on this machine, or not ours to control) gets the nearest thing: every connection Sluice has to
     * it is ended with {@code pg_terminate_backend}, which is what a restart does to them.
     *
     * @return what was done, for the test's messages
     */
    public static String restart() {
        if (EMBEDDED.isPresent()) {
            EMBEDDED.get().restart();
            awaitConnections();
            return "restarted the embedded server with pg_ctl";
        }
        Optional<String[]> cluster = localCluster();
        if (cluster.isEmpty()) {
            long ended = count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'sluice'"
                    + " AND pid <> pg_backend_pid()");
            return "ended " + ended + " Sluice connection(s) with pg_terminate_backend (the server is not one this test can restart)";
        }
        command("pg_ctlcluster", "--mode", "fast", cluster.get()[0], cluster.get()[1], "restart");
        awaitConnections();
        return "restarted cluster " + cluster.get()[0] + "/" + cluster.get()[1] + " with pg_ctlcluster";
    }

    /** Starts the server again if something left it down, and waits until it takes connections again. */
    public static void ensureRunning() {
        EMBEDDED.ifPresentOrElse(EmbeddedPostgres::ensureRunning, () -> localCluster().filter(cluster -> !cluster[3].equals("online"))
                .ifPresent(cluster -> command("pg_ctlcluster", cluster[0], cluster[1], "start")));
        awaitConnections();
    }

    /**
     * Ends the connections of Sluice loads into {@code dataset} (inside a transaction, their statement naming it), as a server ending them
     * would (SQLSTATE 57P01); other connections, other tests' too, are left alone.
     *
     * @return how many were ended
     */
    public static long endLoadsInto(String dataset) {
        return count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'sluice'"
                + " AND xact_start IS NOT NULL AND query LIKE '%" + dataset + "%'");
    }

    /** The Debian cluster serving PORT on this machine, when this process may control it: version, name, port, status. */
    private static Optional<String[]> localCluster() {
        boolean mayControl = Set.of("root", "postgres").contains(System.getProperty("user.name"));
        if (!mayControl || !Set.of("localhost", "127.0.0.1", "::1").contains(HOST)) {
            return Optional.empty();
        }
        try {
            Process list = new ProcessBuilder("pg_lsclusters", "--no-header").redirectErrorStream(true).start();
            String output = new String(list.getInputStream().readAllBytes());
            if (!list.waitFor(30, TimeUnit.SECONDS) || list.exitValue() != 0) {
                return Optional.empty();
            }
            return output.lines().map(line -> line.trim().split("\\s+"))
                    .filter(fields -> fields.length >= 4 && fields[2].equals(String.valueOf(PORT)))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty(); // no pg_lsclusters: not a Debian cluster
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking for the PostgreSQL cluster", e);
        }
    }

    private static void command(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static void awaitConnections() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection ignored = connect()) {
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " takes no connections: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for PostgreSQL", interrupted);
                }
            }
        }
    }

    private static String setting(String name, String fallback) {
        String value = System.getenv("SLUICE_TEST_PG_" + name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
