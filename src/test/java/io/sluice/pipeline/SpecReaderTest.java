package io.sluice.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.v1.Pipeline;
import io.sluice.api.v1.WriteDisposition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpecReaderTest {
    private static final String VALID = """
            name: orders
            timeout: 1h30m
            source:
              filesystem:
                base_path: deploy/samples
                resources:
                  - name: Order Lines
                    glob: "*.csv"
                    format: csv
                    write_disposition: append
            destination:
              duckdb: { path: shop.duckdb }
            """;

    @Test
    void readsYamlThroughTheProtoJsonMapping() {
        Pipeline pipeline = SpecReader.parse(VALID, "orders.yaml");
        assertEquals("orders", pipeline.getName());
        assertEquals(WriteDisposition.APPEND, pipeline.getSource().getFilesystem().getResources(0).getWriteDisposition());

        PipelineSpec spec = PipelineSpecs.toSpec(pipeline, "orders.yaml");
        assertEquals("orders", spec.dataset());
        assertEquals(Duration.ofMinutes(90), spec.timeout().orElseThrow());
        FilesystemSourceSpec source = (FilesystemSourceSpec) spec.source();
        assertEquals("order_lines", source.resources().getFirst().tableName());
        assertEquals(FilesystemSourceSpec.Format.CSV, source.resources().getFirst().format().orElseThrow());
    }

    @Test
    void jsonIsTheSameSchemaAndRoundTrips() {
        PipelineSpec fromYaml = PipelineSpecs.toSpec(SpecReader.parse(VALID, ""), "");
        PipelineSpec fromJson = PipelineSpecs.fromJson(fromYaml.json());
        assertEquals(fromYaml, fromJson);
    }

    @Test
    void reportsEveryUnknownFieldAndWrongTypeWithItsPath() {
        InvalidSpecException invalid = assertThrows(InvalidSpecException.class, () -> SpecReader.parse("""
                name: orders
                colour: blue
                source:
                  filesystem:
                    resources:
                      - name: lines
                        glob: [not, text]
                        frmat: CSV
                destination:
                  duckdb: { path: 7 }
                  dataset: { nested: true }
                """, "orders.yaml"));
        List<String> fields = invalid.problems().stream().map(Problem::field).toList();
        assertEquals(List.of("colour", "source.filesystem.resources[0].glob", "source.filesystem.resources[0].frmat",
                "destination.dataset"), fields);
        assertTrue(invalid.getMessage().startsWith("orders.yaml: "), invalid.getMessage());
        assertTrue(invalid.problems().get(0).description().contains("unknown field"));
        assertTrue(invalid.problems().get(1).description().contains("expected text"));
    }

    @Test
    void namesTheAllowedValuesOfABadEnum() {
        InvalidSpecException invalid = assertThrows(InvalidSpecException.class, () -> SpecReader.parse("""
                name: orders
                source: { filesystem: { resources: [ { name: a, glob: "*", format: xml } ] } }
                """, ""));
        Problem problem = invalid.problems().getFirst();
        assertEquals("source.filesystem.resources[0].format", problem.field());
        assertTrue(problem.description().contains("JSONL, CSV, PARQUET"), problem.description());
    }

    @Test
    void malformedYamlSaysWhere() {
        InvalidSpecException invalid = assertThrows(InvalidSpecException.class,
                () -> SpecReader.parse("name: orders\nsource: [unclosed\n", "bad.yaml"));
        assertTrue(invalid.getMessage().contains("malformed YAML"), invalid.getMessage());
        assertTrue(invalid.getMessage().contains("line"), invalid.getMessage());
    }

    @Test
    void duplicateKeysAreRefused() {
        InvalidSpecException invalid = assertThrows(InvalidSpecException.class,
                () -> SpecReader.parse("name: a\nname: b\n", ""));
        assertTrue(invalid.getMessage().contains("Duplicate field 'name'"), invalid.getMessage());
    }

    @Test
    void emptyAndMissingFilesAreRefused() {
        assertThrows(InvalidSpecException.class, () -> SpecReader.parse("", "empty.yaml"));
        InvalidSpecException missing = assertThrows(InvalidSpecException.class,
                () -> SpecReader.read(Path.of("no/such/pipeline.yaml")));
        assertTrue(missing.getMessage().contains("cannot read the file"), missing.getMessage());
    }

    @Test
    void validationListsEveryMissingRequiredField() {
        List<Problem> problems = PipelineSpecs.problems(SpecReader.parse("""
                description: nothing else
                source: { filesystem: { resources: [ { glob: "*.csv" } ] } }
                destination: { dataset: "Bad-Name" }
                timeout: soon
                """, ""));
        assertEquals(List.of("name", "source.filesystem.resources[0].name", "destination", "destination.dataset", "timeout"),
                problems.stream().map(Problem::field).toList());
        assertTrue(problems.stream().allMatch(problem -> problem.kind() == Problem.Kind.INVALID));
    }

    @Test
    void featuresNotAvailableYetAreRefusedByName() {
        InvalidSpecException unsupported = assertThrows(InvalidSpecException.class, () -> PipelineSpecs.toSpec(SpecReader.parse("""
                name: later
                schedule: { cron: "*/5 * * * *" }
                source:
                  filesystem:
                    resources:
                      - name: a
                        glob: "*.csv"
                        write_disposition: merge
                        primary_key: [id]
                        merge_strategy: scd2
                destination: { duckdb: { path: later.duckdb } }
                retries: { max_attempts: 3 }
                """, ""), ""));
        assertTrue(unsupported.onlyUnsupported());
        assertEquals(List.of("source.filesystem.resources[0].merge_strategy", "schedule", "retries"),
                unsupported.problems().stream().map(Problem::field).toList());
    }

    @Test
    void postgresDestinationsMapWithDefaults() {
        PipelineSpec spec = PipelineSpecs.toSpec(SpecReader.parse("""
                name: warehouse
                source: { filesystem: { resources: [ { name: a, glob: "*.csv" } ] } }
                destination: { postgres: { host: db.internal, database: analytics, password_secret: pg-password } }
                """, ""), "");
        assertEquals(new PostgresDestinationSpec("db.internal", 5432, "analytics", "postgres", Optional.of("pg-password")),
                spec.destination());
        assertEquals("warehouse", spec.dataset());
    }

    @Test
    void postgresDestinationsNeedHostAndDatabaseAndASecretName() {
        List<Problem> problems = PipelineSpecs.problems(SpecReader.parse("""
                name: warehouse
                source: { filesystem: { resources: [ { name: a, glob: "*.csv" } ] } }
                destination: { postgres: { port: 70000, password_secret: "hunter2 !" } }
                """, ""));
        assertEquals(List.of("destination.postgres.host", "destination.postgres.database", "destination.postgres.port",
                "destination.postgres.password_secret"), problems.stream().map(Problem::field).toList());
        assertTrue(problems.stream().allMatch(problem -> problem.kind() == Problem.Kind.INVALID));
        assertFalse(problems.getLast().description().contains("hunter2"), "a password pasted into the field is not echoed");
    }

    @Test
    void postgresDatasetsCannotTakeTheSystemPrefix() {
        List<Problem> problems = PipelineSpecs.problems(SpecReader.parse("""
                name: pg-copy
                source: { filesystem: { resources: [ { name: a, glob: "*.csv" } ] } }
                destination: { postgres: { host: db, database: analytics } }
                """, ""));
        assertEquals(List.of(Problem.invalid("destination.dataset",
                "'pg_copy' (the default, from the pipeline name): PostgreSQL reserves schema names starting with pg_")), problems);
        assertTrue(PipelineSpecs.problems(SpecReader.parse("""
                name: pg-copy
                source: { filesystem: { resources: [ { name: a, glob: "*.csv" } ] } }
                destination: { duckdb: { path: copy.duckdb } }
                """, "")).isEmpty(), "DuckDB takes any schema name");
    }

    @Test
    void replaceTruncatesAndInsertsOtherStrategiesWait() {
        PipelineSpec replacing = PipelineSpecs.toSpec(SpecReader.parse("""
                name: swapped
                source: { filesystem: { resources: [ { name: a, glob: "*.csv", write_disposition: replace,
                          replace_strategy: truncate_and_insert } ] } }
                destination: { duckdb: { path: x.duckdb } }
                """, ""), "");
        assertEquals(io.sluice.schema.WriteDisposition.REPLACE, replacing.source().resources().getFirst().hints().writeDisposition());

        List<Problem> problems = PipelineSpecs.problems(SpecReader.parse("""
                name: later
                source: { filesystem: { resources: [ { name: a, glob: "*.csv", write_disposition: replace,
                          replace_strategy: staging_optimized }, { name: b, glob: "*.csv", replace_strategy: truncate_and_insert } ] } }
                destination: { duckdb: { path: x.duckdb } }
                """, ""));
        assertEquals(List.of("source.filesystem.resources[0].replace_strategy", "source.filesystem.resources[1].replace_strategy"),
                problems.stream().map(Problem::field).toList());
        assertEquals(List.of(Problem.Kind.UNSUPPORTED, Problem.Kind.INVALID), problems.stream().map(Problem::kind).toList());
    }

    @Test
    void mergeNeedsAPrimaryKeyAndDeleteInsert() {
        List<Problem> problems = PipelineSpecs.problems(SpecReader.parse("""
                name: merging
                source: { filesystem: { resources: [ { name: a, glob: "*.csv", write_disposition: merge },
                          { name: b, glob: "*.csv", write_disposition: merge, primary_key: [id], merge_key: [day] },
                          { name: c, glob: "*.csv", merge_strategy: delete_insert },
                          { name: d, glob: "*.csv", write_disposition: merge, primary_key: [id], merge_strategy: delete_insert } ] } }
                destination: { duckdb: { path: x.duckdb } }
                """, ""));
        assertEquals(List.of("source.filesystem.resources[0].primary_key", "source.filesystem.resources[1].merge_key",
                "source.filesystem.resources[2].merge_strategy"), problems.stream().map(Problem::field).toList());
    }

    @Test
    void twoResourcesCannotShareATable() {
        List<Problem> problems = PipelineSpecs.problems(SpecReader.parse("""
                name: twins
                source: { filesystem: { resources: [ { name: Orders, glob: a }, { name: orders, glob: b } ] } }
                destination: { duckdb: { path: x.duckdb } }
                """, ""));
        assertEquals(1, problems.size());
        assertEquals("source.filesystem.resources[1].name", problems.getFirst().field());
    }

    @Test
    void durationsReadTheSpecSpelling() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(5430), Durations.parse("1h30m30s"));
        assertEquals(Duration.ofDays(2), Durations.parse("2d"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("15 minutes"));
        assertFalse(Durations.parse("0s").isPositive());
    }
}
