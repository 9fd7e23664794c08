package io.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import io.sluice.schema.Schema;
import io.sluice.schema.TableFile;
import io.sluice.schema.TableSchema;
import io.sluice.runs.SluiceConfig;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.PostgresPassword;
import io.sluice.testing.PostgresServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two packages sealed against the same stored schema — what two runs of one pipeline that overlapped leave — both
 * commit, in either order: each stores a schema version of its own, numbered at commit, and the stored schema keeps
 * what both added, with a column both changed as wide as either made it.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
@QuarkusTestResource(PostgresPassword.class)
class CommitTimeSchemaVersionsTest {
    private static final Column ID = new Column("id", DataType.BIGINT);

    @Inject
    Destinations destinations;

    @Inject
    SluiceConfig config;

    @ParameterizedTest(name = "into {0}, {1} first")
    @CsvSource({"duckdb, a", "duckdb, b", "postgres, a", "postgres, b"})
    void packagesSealedAgainstOneVersionBothCommitWithVersionsOfTheirOwn(String kind, String first) throws Exception {
        String dataset = "commit_versions_" + kind + "_" + first;
        String pipeline = dataset.replace('_', '-');
        Function<String, List<List<String>>> query = switch (kind) {
            case "duckdb" -> {
                Path database = config.dataDir().resolve(dataset + "_file.duckdb");
                yield sql -> DuckDbQueries.rows(database, sql);
            }
            case "postgres" -> {
                PostgresServer.dropDataset(dataset);
                yield PostgresServer::rows;
            }
            default -> throw new IllegalArgumentException(kind);
        };
        String target = kind.equals("duckdb") ? "{ duckdb: { path: " + dataset + "_file.duckdb }, dataset: " + dataset + " }"
                : PostgresServer.destination(PostgresPassword.SECRET, dataset);
        PipelineSpec spec = PipelineSpecs.toSpec(SpecReader.parse("""
                name: %s
                source: { filesystem: { base_path: /tmp, resources: [ { name: items, glob: "*.jsonl" } ] } }
                destination: %s
                """.formatted(pipeline, target), pipeline), pipeline);
        Destination destination = destinations.open(spec.destination());
        LoadPackages packages = new LoadPackages(Files.createTempDirectory(dataset));
        Column n = new Column("n", DataType.BIGINT);

        commit(packages, destination, spec, "load-0", List.of(ID, n), "1,2\n", List.of());
        Schema stored = destination.storedSchema(pipeline, dataset);
        assertEquals(1, stored.version());

        // A adds text column a and widens n to double; B adds column b and a table of its own, n as it was.
        Runnable a = () -> commit(packages, destination, spec, "load-a", List.of(ID, n.withType(DataType.DOUBLE),
                new Column("a", DataType.TEXT)), "2,2.5,\"x\"\n", List.of());
        Runnable b = () -> commit(packages, destination, spec, "load-b", List.of(ID, n, new Column("b", DataType.BOOL)), "3,4,true\n",
                List.of(new TableSchema("notes", List.of(new Column("text", DataType.TEXT)))));
        (first.equals("a") ? a : b).run();
        (first.equals("a") ? b : a).run();

        assertEquals(List.of(3L, 2L, 1L), destination.schemaHistory(pipeline, dataset).stream().map(SchemaVersionRecord::version).toList());
        Schema merged = destination.storedSchema(pipeline, dataset);
        assertEquals(3, merged.version());
        TableSchema items = merged.table("items").orElseThrow();
        assertEquals(List.of("id", "n", first.equals("a") ? "a" : "b", first.equals("a") ? "b" : "a"),
                items.columns().stream().map(Column::name).toList(), "each commit kept what the other one stored");
        assertEquals(DataType.DOUBLE, items.column("n").orElseThrow().type(), "n stays as wide as A made it");
        assertEquals(List.of("items", "notes"), merged.tables().stream().map(TableSchema::name).toList());
        assertEquals(List.of(List.of("1", "20", "null", "null"), List.of("2", "25", "x", "null"), List.of("3", "40", "null", "1")),
                query.apply("SELECT id, CAST(n * 10 AS BIGINT), a, CAST(b AS INTEGER) FROM " + dataset + ".items ORDER BY id"));
    }

    /** Commits a package with one row file of table items, sealed against the schema stored at version 1 (or none). */
    private static void commit(LoadPackages packages, Destination destination, PipelineSpec spec, String loadId, List<Column> columns,
                               String rows, List<TableSchema> otherTables) {
        try (OwnedPackage owned = packages.create(spec.name(), loadId)) {
            Path file = Files.writeString(owned.directory().resolve("items.0.csv"), rows);
            List<TableSchema> tables = new ArrayList<>(List.of(new TableSchema("items", columns)));
            tables.addAll(otherTables);
            owned.seal(new PackageContents(spec.dataset(), List.of(new TableFile("items", columns, file, 1, rows.length())), new CommitPlan(
                    Optional.of(new Schema(spec.name(), loadId.equals("load-0") ? 0 : 1, tables)), List.of(), List.of(), List.of(),
                    Optional.empty())), "run-" + loadId);
            PackageLoader.load(owned, destination, (table, loaded, bytes) -> {
            });
            owned.committed();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
