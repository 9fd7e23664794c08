package io.sluice.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.proto.v1.Pipeline;
import io.sluice.testing.FileDataSource;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Specs;
import java.nio.file.Files;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Updates of one pipeline made at the same moment, each allowed to create it, end as if made one after the other:
 * one creates it, each other one applies to what the one before stored, none is lost or refused.
 */
class PipelineRegistryRacesTest {
    private static final int WRITERS = 8;

    @Test
    void concurrentUpsertsInOneProcessTakeTurns() throws Exception {
        FileDataSource file = new FileDataSource(Files.createTempDirectory("races").resolve("catalog.duckdb"));
        JdbcCatalogStore store = new JdbcCatalogStore(file);
        store.migrate();
        // One connection held open keeps the database open, so the writers' connections share it, as a pool's do
        // (DuckDB refuses to open one file twice at the same moment).
        try (Connection open = file.getConnection()) {
            race(store, List.of(new PipelineRegistry(store)));
        }
    }

    @Test
    void concurrentUpsertsFromTwoProcessesSharingAPostgresCatalogAreDecidedAgainWhenTheyLose() throws Exception {
        JdbcCatalogStore store = new JdbcCatalogStore(PostgresServer.freshSchema("registry_races"));
        store.migrate();
        // Two registries are two replicas: their in-process turns do not see each other, the catalog's etags decide.
        race(store, List.of(new PipelineRegistry(store), new PipelineRegistry(store)));
    }

    private static void race(PipelineStore store, List<PipelineRegistry> registries) throws Exception {
        CyclicBarrier together = new CyclicBarrier(WRITERS);
        List<Future<PipelineWrite>> writes = new ArrayList<>();
        try (ExecutorService writers = Executors.newFixedThreadPool(WRITERS)) {
            for (int writer = 0; writer < WRITERS; writer++) {
                String mark = "w" + writer;
                PipelineRegistry registry = registries.get(writer % registries.size());
                writes.add(writers.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    // Each update adds its mark to the description it finds stored: a lost update would lose a mark.
                    return registry.update(new PipelineUpdate("raced", "", true, false), stored -> PipelineSpecs.toSpec(
                            described(stored, mark), ""));
                }));
            }
            List<PipelineRecord> stored = new ArrayList<>();
            for (Future<PipelineWrite> write : writes) {
                stored.add(((PipelineWrite.Stored) write.get(60, TimeUnit.SECONDS)).pipeline());
            }
            assertEquals(1, stored.stream().map(PipelineRecord::createTime).distinct().count(), "one write created the pipeline");
            assertEquals(WRITERS, stored.stream().map(PipelineRecord::etag).distinct().count(), "each write stored a version");
        }
        String description = SpecReader.parse(store.pipeline("raced").orElseThrow().specJson(), "stored").getDescription();
        Set<String> marks = Arrays.stream(description.split(" ")).filter(mark -> !mark.isEmpty()).collect(Collectors.toSet());
        assertEquals(WRITERS, marks.size(), "every update kept the ones before it: " + description);
    }

    private static Pipeline described(Optional<PipelineRecord> stored, String mark) {
        Pipeline pipeline = stored.map(record -> SpecReader.parse(record.specJson(), "stored"))
                .orElseGet(() -> Specs.samples("raced", "raced.duckdb"));
        return pipeline.toBuilder().setDescription(pipeline.getDescription() + " " + mark).build();
    }
}
