package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import io.sluice.schema.DataType;
import io.sluice.schema.ReplaceStrategy;
import io.sluice.schema.WriteDisposition;
import java.util.EnumSet;
import java.util.Optional;

/**
 * A PostgreSQL database. {@code passwordSecret} names the secret holding the password (resolved when a run starts,
 * never stored); without one the server must let {@code username} in without a password.
 */
public record PostgresDestinationSpec(String host, int port, String database, String username, Optional<String> passwordSecret)
        implements DestinationSpec {
    public static final int DEFAULT_PORT = 5432;
    public static final String DEFAULT_USERNAME = "postgres";
    /**
     * Everything Sluice loads, with PostgreSQL's 63-byte names. Its numeric takes up to 1000 digits; a declared DECIMAL
     * keeps to DuckDB's 38, so a spec stays loadable into either. Schemas starting with pg_ are the server's own.
     */
    public static final DestinationCapabilities CAPABILITIES = new DestinationCapabilities("PostgreSQL",
            EnumSet.allOf(WriteDisposition.class), EnumSet.allOf(DestinationCapabilities.MergeKind.class),
            EnumSet.allOf(ReplaceStrategy.class), EnumSet.allOf(DataType.class), 38, 63,
            DestinationCapabilities.Staging.IN_COMMIT, true, true, Optional.of("pg_"));

    public PostgresDestinationSpec {
        requireNonNull(host, "host is null");
        requireNonNull(database, "database is null");
        requireNonNull(username, "username is null");
        requireNonNull(passwordSecret, "passwordSecret is null").ifPresent(SecretReference::new);
        if (host.isEmpty() || database.isEmpty() || username.isEmpty()) {
            throw new IllegalArgumentException("host, database and username must not be empty");
        }
        if (!isPort(port)) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port");
        }
    }

    @Override
    public DestinationCapabilities capabilities() {
        return CAPABILITIES;
    }

    static boolean isPort(int port) {
        return port >= 1 && port <= 65_535;
    }
}
