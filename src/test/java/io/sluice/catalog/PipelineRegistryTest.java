package io.sluice.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.Problem;
import io.sluice.testing.FileDataSource;
import io.sluice.testing.Specs;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineRegistryTest {
    @Test
    void aRegisteredPipelineRunsFromTheSpecValidatedWhenItWasRegistered() throws Exception {
        CatalogStore store = store();
        PipelineRegistry registry = new PipelineRegistry(store);
        PipelineSpec registered = PipelineSpecs.toSpec(Specs.samples("orders", "orders.duckdb"), "");
        registry.create(registered);
        // The same instance, not an equal one read back: the stored JSON is not parsed or validated again.
        assertSame(registered, registry.spec("orders"));
        assertSame(registered, registry.spec("orders"));

        PipelineSpec described = PipelineSpecs.toSpec(Specs.samples("orders", "orders.duckdb").toBuilder()
                .setDescription("replaced").build(), "");
        registry.replace(described, "");
        assertSame(described, registry.spec("orders"));
        registry.apply(described);
        assertSame(described, registry.spec("orders"), "an unchanged spec applied again is the one kept");
    }

    @Test
    void aSpecAnotherProcessStoredIsReadOncePerEtag() throws Exception {
        CatalogStore store = store();
        PipelineRegistry here = new PipelineRegistry(store);
        PipelineRegistry elsewhere = new PipelineRegistry(store);
        here.create(PipelineSpecs.toSpec(Specs.samples("orders", "orders.duckdb"), ""));
        PipelineSpec changed = PipelineSpecs.toSpec(Specs.samples("orders", "elsewhere.duckdb"), "");
        elsewhere.replace(changed, "");

        PipelineSpec read = here.spec("orders");
        assertEquals(changed, read, "a changed etag is noticed");
        assertNotSame(changed, read);
        assertSame(read, here.spec("orders"), "read once, then kept");

        elsewhere.delete("orders", "");
        assertThrows(NotFoundException.class, () -> here.spec("orders"));
    }

    @Test
    void aStoredSpecThisVersionRefusesIsReportedByPipelineAndField() throws Exception {
        CatalogStore store = store();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // As if an older version had accepted 500 attempts.
        store.insertPipeline(new PipelineRecord("old", """
                {"name": "old", "source": {"filesystem": {"resources": [{"name": "a", "glob": "*.csv"}]}},
                 "destination": {"duckdb": {"path": "old.duckdb"}}, "retries": {"max_attempts": 500}}""", "etag-1", now, now));
        InvalidSpecException refused = assertThrows(InvalidSpecException.class, () -> new PipelineRegistry(store).spec("old"));
        assertEquals(List.of("retries.max_attempts"), refused.problems().stream().map(Problem::field).toList());
        assertTrue(refused.getMessage().startsWith("pipeline 'old' as registered (this version of Sluice no longer accepts it;"
                + " update the pipeline to run it): retries.max_attempts: got 500"), refused.getMessage());
    }

    private static CatalogStore store() throws Exception {
        JdbcCatalogStore store = new JdbcCatalogStore(new FileDataSource(
                Files.createTempDirectory("registry").resolve("catalog.duckdb")));
        store.migrate();
        return store;
    }
}
