package io.sluice.load;

import io.sluice.pipeline.DestinationSpec;
import io.sluice.pipeline.DuckDbDestinationSpec;
import io.sluice.pipeline.PostgresDestinationSpec;
import io.sluice.security.Secrets;
import java.nio.file.Path;

/** Opens the destination a spec declares. */
public final class Destinations {
    private Destinations() {
    }

    /**
     * @param dataDirectory what relative destination paths resolve against
     * @param secrets where the secrets the spec names are looked up
     * @throws io.sluice.security.MissingSecretException when a secret the spec names is not set
     */
    public static Destination open(DestinationSpec spec, Path dataDirectory, Secrets secrets) {
        return switch (spec) {
            case DuckDbDestinationSpec duckdb -> new DuckDbDestination(dataDirectory.resolve(duckdb.path()).toAbsolutePath().normalize());
            case PostgresDestinationSpec postgres -> new PostgresDestination(postgres,
                    postgres.passwordSecret().map(secrets::resolve));
        };
    }
}
