package io.sluice.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Gives the application under test a data directory (catalog and DuckDB destinations) of its own. */
public class FreshDataDirectory implements QuarkusTestResourceLifecycleManager {
    private Path directory;

    @Override
    public Map<String, String> start() {
        try {
            directory = Files.createTempDirectory("sluice-test-");
            return Map.of(
                    "sluice.data-dir", directory.toString(),
                    "quarkus.datasource.jdbc.url", "jdbc:duckdb:" + directory.resolve("catalog.duckdb"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the directory with the application stopped: left behind, each test run's came to hundreds of MB. */
    @Override
    public void stop() {
        FileTrees.deleteQuietly(directory);
    }
}
