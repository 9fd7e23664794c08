package io.sluice.load;

import static java.util.Objects.requireNonNull;

import io.sluice.pipeline.DestinationSpec;
import io.sluice.pipeline.DuckDbDestinationSpec;
import io.sluice.pipeline.PostgresDestinationSpec;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Opens the destination a spec declares.
 *
 * @param dataDirectory what relative destination paths resolve against
 * @param secrets the value of a secret the spec names, by its name: the run resolves secrets and hands them in, so
 *     loading never reads where they are kept
 * @param pools where PostgreSQL connections come from
 * @param duckDb how much memory and how many threads DuckDB may use while it loads files
 */
public record Destinations(Path dataDirectory, UnaryOperator<String> secrets, ConnectionPools pools, DuckDbSettings duckDb) {
    /**
     * Where DuckDB spills what loads into destination files cannot hold in memory, in the data directory: DuckDB makes it
     * when it first spills and removes it as the process closes its files.
     */
    static final String DUCKDB_TEMPORARY_DIRECTORY = "duckdb.tmp";

    public Destinations {
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(secrets, "secrets is null");
        requireNonNull(pools, "pools is null");
        requireNonNull(duckDb, "duckDb is null");
    }

    /** With DuckDB's settings at their defaults. */
    public Destinations(Path dataDirectory, UnaryOperator<String> secrets, ConnectionPools pools) {
        this(dataDirectory, secrets, pools, DuckDbSettings.DEFAULT);
    }

    /**
     * Starts opening what the destination a spec declares connects through, ahead of the run that will use it (see
     * {@link ConnectionPools#warm}); nothing for a DuckDB file, or when a secret the spec names is not set (the run
     * reports that).
     */
    public void prepare(DestinationSpec spec) {
        if (spec instanceof PostgresDestinationSpec postgres) {
            Optional<String> password;
            try {
                password = postgres.passwordSecret().map(secrets);
            } catch (RuntimeException e) {
                return;
            }
            pools.warm(postgres, password);
        }
    }

    /** Throws what {@code secrets} throws for a secret the spec names that is not set. */
    public Destination open(DestinationSpec spec) {
        return switch (spec) {
            case DuckDbDestinationSpec duckdb -> new DuckDbDestination(dataDirectory.resolve(duckdb.path()).toAbsolutePath().normalize(),
                    pools.duckDbKeepOpen(), duckDb, dataDirectory.resolve(DUCKDB_TEMPORARY_DIRECTORY).toAbsolutePath().normalize());
            case PostgresDestinationSpec postgres -> {
                Optional<String> password = postgres.passwordSecret().map(secrets);
                yield new PostgresDestination(postgres, pools.postgres(postgres, password), ConnectionPools.unpooled(postgres, password),
                        pools.parallelCopyFrom());
            }
        };
    }
}
