package io.sluice.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Gives the application under test the test server's password as the secret {@link #SECRET}, and a wrong one as {@link #WRONG_SECRET}. */
public class PostgresPassword implements QuarkusTestResourceLifecycleManager {
    public static final String SECRET = "test-pg-password";
    public static final String WRONG_SECRET = "wrong-pg-password";
    public static final String WRONG_PASSWORD = "not-the-Password-42";

    @Override
    public Map<String, String> start() {
        return Map.of("sluice.secret." + SECRET, PostgresServer.PASSWORD, "sluice.secret." + WRONG_SECRET, WRONG_PASSWORD);
    }

    @Override
    public void stop() {
    }
}
