package io.sluice.security;

import static java.util.Objects.requireNonNull;

import io.sluice.pipeline.SecretReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a secret a spec names to its value, looking in order at the service config ({@code sluice.secret.<name>},
 * e.g. a {@code -D} system property; the seam tests use), the environment variable {@code SLUICE_SECRET_<NAME>}
 * (upper-cased, every other character than a letter or digit as {@code _}) and the file {@code <directory>/<name>} (a
 * mounted Kubernetes or Docker secret). The value never appears in a message: errors name the secret and where it was
 * looked for.
 */
public final class Secrets {
    /** Where container platforms mount secrets as files. */
    public static final Path MOUNTED = Path.of("/run/secrets");

    private final Map<String, String> configured;
    private final Map<String, String> environment;
    private final Path directory;

    /** @param configured secret values by name, from the service config */
    public Secrets(Map<String, String> configured, Map<String, String> environment, Path directory) {
        this.configured = Map.copyOf(requireNonNull(configured, "configured is null"));
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.directory = requireNonNull(directory, "directory is null");
    }

    /** The configured secrets, then this process's environment, then the files mounted at {@link #MOUNTED}. */
    public static Secrets of(Map<String, String> configured) {
        return new Secrets(configured, System.getenv(), MOUNTED);
    }

    /**
     * @throws MissingSecretException when no source has the secret, or the name is not one by {@link SecretReference}'s
     *     rule (so it cannot escape the secrets directory); such a name is not repeated, as it may be a credential
     */
    public String resolve(String name) {
        requireNonNull(name, "name is null");
        if (!SecretReference.isName(name)) {
            throw new MissingSecretException("the name given is not a secret name: a secret name is " + SecretReference.RULE);
        }
        return Optional.ofNullable(configured.get(name))
                .or(() -> Optional.ofNullable(environment.get(environmentVariable(name))))
                .or(() -> file(name))
                .orElseThrow(() -> new MissingSecretException("secret '" + name + "' is not set: define the config key "
                        + "sluice.secret." + name + ", the environment variable " + environmentVariable(name) + " or the file "
                        + directory.resolve(name)));
    }

    static String environmentVariable(String name) {
        return "SLUICE_SECRET_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private Optional<String> file(String name) {
        Path file = directory.resolve(name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            // Files written with `echo` end in a line break that is not part of the secret.
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).replaceFirst("\\R\\z", ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read secret '" + name + "' from " + file, e);
        }
    }
}
