package io.sluice.catalog;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Catalogs keep times to the microsecond: stamping them so makes what a write returns equal what a read returns. */
public final class CatalogTime {
    private CatalogTime() {
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
