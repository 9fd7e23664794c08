package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;

class EmbeddedPostgresTest {

    @BeforeEach
    void embeddedServerOnly() {
        assumeTrue(PostgresServer.embedded(), "SLUICE_TEST_PG_HOST names a server of its own: the embedded one is not started");
    }

    @Test
    void oneServerPerJvmEvenForAnotherClassLoader() throws Exception {
        try (URLClassLoader quarkusLike = new TestClassesAgain()) {
            Class<?> again = quarkusLike.loadClass(EmbeddedPostgres.class.getName());
            assertNotSame(EmbeddedPostgres.class, again);
            Method shared = again.getDeclaredMethod("shared");
            shared.setAccessible(true);
            Object server = shared.invoke(null);
            Method port = again.getDeclaredMethod("port");
            port.setAccessible(true);
            assertEquals(PostgresServer.PORT, port.invoke(server));
        }
        assertEquals(EmbeddedPostgres.shared(), EmbeddedPostgres.shared());
    }

    /** Loads the test classes again, their libraries from the class path: what Quarkus does for its tests. */
    private static final class TestClassesAgain extends URLClassLoader {
        TestClassesAgain() {
            super(new URL[] {EmbeddedPostgres.class.getProtectionDomain().getCodeSource().getLocation()},
                    EmbeddedPostgres.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(EmbeddedPostgres.class.getPackageName() + ".")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }
    }

    @Test
    void restartEndsSessionsAndKeepsPortAndData() throws SQLException {
        PostgresServer.execute("DROP TABLE IF EXISTS embedded_restart");
        PostgresServer.execute("CREATE TABLE embedded_restart (id int)");
        PostgresServer.execute("INSERT INTO embedded_restart VALUES (7)");
        String startedBefore = PostgresServer.rows("SELECT pg_postmaster_start_time()").getFirst().getFirst();
        try (Connection before = PostgresServer.connect(); Statement statement = before.createStatement()) {
            PostgresServer.restart();
            SQLException ended = assertThrows(SQLException.class, () -> statement.execute("SELECT 1"));
            assertEquals("57P01", ended.getSQLState(), ended.getMessage()); // admin_shutdown, as a fast restart ends it
        }
        assertNotEquals(startedBefore, PostgresServer.rows("SELECT pg_postmaster_start_time()").getFirst().getFirst());
        assertEquals(PostgresServer.PORT, EmbeddedPostgres.shared().port());
        assertEquals(1, PostgresServer.count("SELECT count(*) FROM embedded_restart WHERE id = 7"));
        PostgresServer.execute("DROP TABLE embedded_restart");
    }

    @Test
    void wrongPasswordIsRefused() {
        Properties properties = new Properties();
        properties.setProperty("user", PostgresServer.USER);
        properties.setProperty("password", PostgresPassword.WRONG_PASSWORD);
        String url = "jdbc:postgresql://" + PostgresServer.HOST + ":" + PostgresServer.PORT + "/" + PostgresServer.DATABASE;
        SQLException refused = assertThrows(SQLException.class, () -> new Driver().connect(url, properties).close());
        assertEquals("28P01", refused.getSQLState(), refused.getMessage()); // invalid_password
    }
}
