package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A PostgreSQL database. {@code passwordSecret} names the secret holding the password (resolved when a run starts,
 * never stored); without one the server must let {@code username} in without a password.
 */
public record PostgresDestinationSpec(String host, int port, String database, String username, Optional<String> passwordSecret)
        implements DestinationSpec {
    public static final int DEFAULT_PORT = 5432;
    public static final String DEFAULT_USERNAME = "postgres";

    public PostgresDestinationSpec {
        requireNonNull(host, "host is null");
        requireNonNull(database, "database is null");
        requireNonNull(username, "username is null");
        requireNonNull(passwordSecret, "passwordSecret is null");
        if (host.isEmpty() || database.isEmpty() || username.isEmpty()) {
            throw new IllegalArgumentException("host, database and username must not be empty");
        }
        if (!isPort(port)) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port");
        }
    }

    static boolean isPort(int port) {
        return port >= 1 && port <= 65_535;
    }
}
