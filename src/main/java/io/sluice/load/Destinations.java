package io.sluice.load;

import static java.util.Objects.requireNonNull;

import io.sluice.pipeline.DestinationSpec;
import io.sluice.pipeline.DuckDbDestinationSpec;
import io.sluice.pipeline.PostgresDestinationSpec;
import io.sluice.security.Secrets;
import java.nio.file.Path;

/**
 * Opens the destination a spec declares.
 *
 * @param dataDirectory what relative destination paths resolve against
 * @param secrets where the secrets the spec names are looked up
 * @param pools where PostgreSQL connections come from
 */
public record Destinations(Path dataDirectory, Secrets secrets, ConnectionPools pools) {
    public Destinations {
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(secrets, "secrets is null");
        requireNonNull(pools, "pools is null");
    }

    /** @throws io.sluice.security.MissingSecretException when a secret the spec names is not set */
    public Destination open(DestinationSpec spec) {
        return switch (spec) {
            case DuckDbDestinationSpec duckdb -> new DuckDbDestination(dataDirectory.resolve(duckdb.path()).toAbsolutePath().normalize());
            case PostgresDestinationSpec postgres -> new PostgresDestination(postgres,
                    pools.postgres(postgres, postgres.passwordSecret().map(secrets::resolve)));
        };
    }
}
