package io.sluice.runs;

import io.sluice.load.ConnectionPools;
import io.sluice.load.Destinations;
import io.sluice.load.DuckDbSettings;
import io.sluice.security.Secrets;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The service's one set of destination connection pools, closed when the service stops, and what opens destinations. */
final class DestinationsProducer {
    @Produces
    @Singleton
    ConnectionPools pools(SluiceConfig config) {
        return new ConnectionPools(config.destinationPools().maxSize(), config.destinationPools().idleTimeout(),
                config.destinationPools().duckdbKeepOpen(), config.destinationPools().parallelCopyFrom().asLongValue());
    }

    void close(@Disposes ConnectionPools pools) {
        pools.close();
    }

    /** @throws IllegalArgumentException naming the setting, when DuckDB's settings for loads are not valid */
    @Produces
    @Singleton
    Destinations destinations(SluiceConfig config, ConnectionPools pools) {
        DuckDbSettings duckDb;
        try {
            duckDb = new DuckDbSettings(config.duckdbLoads().memoryLimit(), config.duckdbLoads().threads());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sluice.duckdb-loads: " + e.getMessage(), e);
        }
        return new Destinations(config.dataDir(), Secrets.of(config.secret())::resolve, pools, duckDb);
    }
}
