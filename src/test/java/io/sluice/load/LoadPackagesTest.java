package io.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.pipeline.CursorValue;
import io.sluice.pipeline.PipelineState;
import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import io.sluice.schema.Schema;
import io.sluice.schema.TableFile;
import io.sluice.schema.TableSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoadPackagesTest {
    @Test
    void aSealedPackageSurvivesItsOwnerAndIsReadBackWholeWithItsState() throws Exception {
        LoadPackages packages = new LoadPackages(Files.createTempDirectory("packages"));
        LoadPackage written;
        try (LoadPackages.OwnedPackage owned = packages.create("orders", "load-1")) {
            Path file = Files.writeString(owned.directory().resolve("items.0.csv"), "\"a\",1\n");
            List<Column> columns = List.of(new Column("name", DataType.TEXT), new Column("n", DataType.BIGINT));
            written = new LoadPackage("orders", "shop", "load-1", List.of(new TableFile("items", columns, file, 1)),
                    Optional.of(new Schema("orders", 3, List.of(new TableSchema("items", columns)))), List.of("items"),
                    List.of(new LoadPackage.MergedTable("items", List.of("name"), List.of("items__tags"))), List.of("old_items"),
                    Optional.of(PipelineState.EMPTY.with("items", Optional.of(new PipelineState.Cursor("updated_at",
                            CursorValue.parse("2024-05-01T10:00:00Z"), List.of("key"))))));
            owned.seal(written);
            assertTrue(packages.claimPending("orders").isEmpty(), "a package its run still owns is not anyone else's");
        }
        List<LoadPackages.OwnedPackage> pending = packages.claimPending("orders");
        assertEquals(1, pending.size());
        assertEquals(Optional.of(written), pending.getFirst().sealed());
        pending.getFirst().delete();
        assertTrue(packages.claimPending("orders").isEmpty());
    }

    @Test
    void aPackageSealedBeforePackagesCarriedStateIsStillLoadable() throws Exception {
        LoadPackages packages = new LoadPackages(Files.createTempDirectory("packages"));
        try (LoadPackages.OwnedPackage owned = packages.create("orders", "load-0")) {
            Files.writeString(owned.directory().resolve("manifest.json"), """
                    {"pipeline": "orders", "dataset": "shop", "loadId": "load-0", "files": [], "newSchema": null,
                     "replacedTables": [], "mergedTables": []}""");
        }
        LoadPackages.OwnedPackage pending = packages.claimPending("orders").getFirst();
        assertEquals(Optional.of(new LoadPackage("orders", "shop", "load-0", List.of(), Optional.empty(), List.of(), List.of(),
                List.of(), Optional.empty())), pending.sealed());
        pending.delete();
    }

    @Test
    void anUnsealedPackageWithoutOwnerIsWhatACrashLeftAndIsRemoved() throws Exception {
        Path data = Files.createTempDirectory("packages");
        LoadPackages packages = new LoadPackages(data);
        Path directory;
        try (LoadPackages.OwnedPackage owned = packages.create("orders", "load-2")) {
            directory = owned.directory();
            Files.writeString(directory.resolve("items.0.csv"), "half a package");
        }
        assertTrue(packages.claimPending("orders").isEmpty());
        assertFalse(Files.exists(directory));
    }
}
