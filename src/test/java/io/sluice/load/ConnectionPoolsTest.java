package io.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.pipeline.PostgresDestinationSpec;
import io.sluice.testing.PostgresServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class ConnectionPoolsTest {
    private static final PostgresDestinationSpec SERVER = new PostgresDestinationSpec(PostgresServer.HOST, PostgresServer.PORT,
            PostgresServer.DATABASE, PostgresServer.USER, Optional.of("pg-password"));

    @Test
    void oneServerDatabaseUserAndPasswordShareAPool() throws SQLException {
        try (ConnectionPools pools = new ConnectionPools(2, Duration.ofMinutes(1))) {
            DataSource pool = pools.postgres(SERVER, Optional.of(PostgresServer.PASSWORD));
            assertSame(pool, pools.postgres(SERVER, Optional.of(PostgresServer.PASSWORD)));
            assertNotSame(pool, pools.postgres(SERVER, Optional.of("another password")), "a pool never lets another password in");
            assertNotSame(pool, pools.postgres(new PostgresDestinationSpec(SERVER.host(), SERVER.port(), "template1", SERVER.username(),
                    SERVER.passwordSecret()), Optional.of(PostgresServer.PASSWORD)));
            assertEquals(3, pools.size());
            assertFalse(new ConnectionPools.Key("h", 5432, "d", "u", "digest").toString().contains(PostgresServer.PASSWORD), "a pool's key does not show the password");

            int backend;
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT pg_backend_pid(), current_setting('TimeZone')")) {
                result.next();
                backend = result.getInt(1);
                assertEquals("UTC", result.getString(2), "timestamps without an offset are UTC");
            }
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
                result.next();
                assertEquals(backend, result.getInt(1), "the connection was pooled, not opened again");
            }
            PostgresServer.execute("SELECT pg_terminate_backend(" + backend + ")");
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
                result.next();
                assertTrue(result.getInt(1) != backend, "a connection the server ended is replaced as it is borrowed");
            }
        }
    }

    /**
     * A pool warmed ahead of its first use opens its first connection on its own thread, and its first use waits for
     * that connection and takes it rather than opening a second one. A server that cannot be reached fails the first
     * use as it would have, never the warming.
     */
    @Test
    void aPoolWarmedAheadHandsItsFirstUseTheConnectionItOpened() throws SQLException, IOException {
        PostgresDestinationSpec template = new PostgresDestinationSpec(SERVER.host(), SERVER.port(), "template1", SERVER.username(),
                SERVER.passwordSecret());
        try (ConnectionPools pools = new ConnectionPools(4, Duration.ofMinutes(1)); Connection monitor = PostgresServer.connect()) {
            pools.warm(template, Optional.of(PostgresServer.PASSWORD));
            DataSource pool = pools.postgres(template, Optional.of(PostgresServer.PASSWORD));
            assertEquals(1, templateConnections(monitor), "opened ahead, and open once the pool is handed out");
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT current_setting('TimeZone')")) {
                result.next();
                assertEquals("UTC", result.getString(1), "opened as every connection of the pool is");
                assertEquals(1, templateConnections(monitor), "the first use took the connection opened ahead and opened none");
            }
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        PostgresDestinationSpec nowhere = new PostgresDestinationSpec("127.0.0.1", closedPort, "sluice", "nobody", Optional.empty());
        try (ConnectionPools pools = new ConnectionPools(1, Duration.ofMinutes(1))) {
            pools.warm(nowhere, Optional.empty());
            assertThrows(SQLException.class, () -> pools.postgres(nowhere, Optional.empty()).getConnection().close());
        }
    }

    /** The connections of a pool to template1 open now (PostgreSQL lists a backend from its start), asked on an open connection. */
    private static long templateConnections(Connection monitor) throws SQLException {
        try (Statement statement = monitor.createStatement(); ResultSet result = statement.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = 'template1' AND application_name = 'sluice'")) {
            result.next();
            return result.getLong(1);
        }
    }

    @Test
    void aClosedSetOfPoolsOpensNoMore() {
        ConnectionPools pools = new ConnectionPools(1, Duration.ofMinutes(1));
        pools.postgres(SERVER, Optional.of(PostgresServer.PASSWORD));
        pools.close();
        assertEquals(0, pools.size());
        assertThrows(IllegalStateException.class, () -> pools.postgres(SERVER, Optional.of(PostgresServer.PASSWORD)));
    }
}
