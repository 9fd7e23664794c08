package io.sluice.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void configWinsOverEnvironmentWhichWinsOverFile() throws IOException {
        Path directory = Files.createTempDirectory("secrets");
        Files.writeString(directory.resolve("pg.password"), "from-file\n");
        Map<String, String> environment = Map.of("SLUICE_SECRET_PG_PASSWORD", "from-env");

        assertEquals("from-config", new Secrets(Map.of("pg.password", "from-config"), environment, directory)
                .resolve("pg.password"));
        assertEquals("from-env", new Secrets(Map.of(), environment, directory).resolve("pg.password"));
        assertEquals("from-file", new Secrets(Map.of(), Map.of(), directory).resolve("pg.password"),
                "the line break a file ends in is not part of the secret");
    }

    @Test
    void environmentVariableNamesAreUpperCasedWithUnderscores() {
        assertEquals("SLUICE_SECRET_GITHUB_TOKEN", Secrets.environmentVariable("github-token"));
        assertEquals("SLUICE_SECRET_PII_SALT_V2", Secrets.environmentVariable("pii.salt_v2"));
    }

    @Test
    void aMissingSecretIsNamedWithEveryPlaceLookedAt() throws IOException {
        Path directory = Files.createTempDirectory("secrets");
        MissingSecretException missing = assertThrows(MissingSecretException.class,
                () -> new Secrets(Map.of(), Map.of("SLUICE_SECRET_OTHER", "value"), directory).resolve("pg-password"));
        assertEquals("secret 'pg-password' is not set: define the config key sluice.secret.pg-password, the environment"
                + " variable SLUICE_SECRET_PG_PASSWORD or the file " + directory.resolve("pg-password"), missing.getMessage());
    }

    @Test
    void namesCannotReachOutsideTheSecretsDirectory() throws IOException {
        Path parent = Files.createTempDirectory("secrets");
        Path directory = Files.createDirectory(parent.resolve("mounted"));
        Files.writeString(parent.resolve("outside"), "not a secret");
        MissingSecretException refused = assertThrows(MissingSecretException.class,
                () -> new Secrets(Map.of(), Map.of(), directory).resolve("../outside"));
        assertTrue(refused.getMessage().contains("is not a secret name"), refused.getMessage());
    }
}
