package io.sluice.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretConfigHandlerTest {
    @Test
    void aConfigValueNamesASecretReadLikeASpecsWithItsProfile() {
        SmallRyeConfig config = config(Map.of(
                "quarkus.mailer.password", "${sluice-secret::smtp-password}",
                "sluice.secret.smtp-password", "from-config",
                "%test.sluice.secret.smtp-password", "from-test-config"));
        assertEquals("from-test-config", config.getValue("quarkus.mailer.password", String.class));
    }

    @Test
    void aMissingSecretIsNamedNeverGuessed() {
        SmallRyeConfig config = config(Map.of("quarkus.mailer.password", "${sluice-secret::no-such-secret}"));
        MissingSecretException missing = assertThrows(MissingSecretException.class,
                () -> config.getValue("quarkus.mailer.password", String.class));
        assertTrue(missing.getMessage().startsWith("secret 'no-such-secret' is not set"), missing.getMessage());
    }

    /** The handler found as the service it is registered as, as Quarkus finds it. */
    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withProfile("test").addDiscoveredSecretKeysHandlers()
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build();
    }
}
