package io.sluice.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Gives the application under test secrets whose values appear nowhere else, so that finding one among what the service
 * wrote proves a leak (io.sluice.security.SecretsNeverLeakTest). Values are letters, digits and '-', the same written
 * plainly, URL-encoded or in a form body.
 */
public class DistinctiveSecrets implements QuarkusTestResourceLifecycleManager {
    public static final String PG_PASSWORD = "leak-pg-password";
    public static final String PG_WRONG = "leak-pg-wrong";
    public static final String BEARER = "leak-bearer";
    public static final String BEARER_REFUSED = "leak-bearer-refused";
    public static final String BASIC = "leak-basic";
    public static final String API_KEY = "leak-api-key";
    public static final String CLIENT_SECRET = "leak-client-secret";
    /** Secret values by name. */
    public static final Map<String, String> VALUES = Map.of(
            PG_PASSWORD, "PgPw-7Kq2Zx9Rt4",
            PG_WRONG, "PgWrong-3Vb8Nn1Ls6",
            BEARER, "BearerTk-5Hj7Wq2Pd0",
            BEARER_REFUSED, "RefusedTk-8Cx4Mz6Yb1",
            BASIC, "BasicPw-2Gf9Ks3Ua7",
            API_KEY, "ApiKey-6Tr1Ve8Xo5",
            CLIENT_SECRET, "ClientSec-4Np7Qj2Hw9");

    @Override
    public Map<String, String> start() {
        return VALUES.entrySet().stream().collect(Collectors.toMap(secret -> "sluice.secret." + secret.getKey(), Map.Entry::getValue));
    }

    @Override
    public void stop() {
    }
}
