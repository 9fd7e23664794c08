package io.sluice.catalog;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Makes the catalog from the configured datasource: an embedded DuckDB file by default. */
@ApplicationScoped
class CatalogProducer {
    private static final String DUCKDB_URL = "jdbc:duckdb:";

    @Produces
    @ApplicationScoped
    CatalogStore catalogStore(AgroalDataSource dataSource, @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url) {
        if (url.startsWith(DUCKDB_URL) && url.length() > DUCKDB_URL.length()) {
            createParent(Path.of(url.substring(DUCKDB_URL.length()).split("\\?", 2)[0]));
        }
        JdbcCatalogStore store = new JdbcCatalogStore(dataSource);
        store.migrate();
        return store;
    }

    private static void createParent(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the catalog directory " + parent, e);
        }
    }
}
