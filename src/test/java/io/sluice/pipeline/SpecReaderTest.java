package io.sluice.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.WriteDisposition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    void sixtyFourBitNumbersRoundTripThoughJsonWritesThemAsText() {
        PipelineSpec fromYaml = PipelineSpecs.toSpec(SpecReader.parse("""
                name: paged
                source:
                  rest_api:
                    base_url: https://api.example.com/
                    client: { max_requests: 500 }
                    resources:
                      - name: items
                        endpoint: { path: items, pages_per_run: 3 }
                        paginator: { offset: { limit: 100, maximum_offset: 10000 } }
                destination: { duckdb: { path: paged.duckdb } }
                """, ""), "");
        assertTrue(fromYaml.json().contains("\"100\""), "proto3 JSON writes int64 as text: " + fromYaml.json());
        assertEquals(fromYaml, PipelineSpecs.fromJson(fromYaml.json()));
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
        assertTrue(invalid.problems().get(0).description().contains("unknown field"), invalid.problems().toString());
        assertTrue(invalid.problems().get(1).description().contains("expected text"), invalid.problems().toString());
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
    void twoKindsOfOneChoiceAreRefusedByTheSecondsPath() {
        InvalidSpecException invalid = assertThrows(InvalidSpecException.class, () -> SpecReader.parse("""
                name: orders
                source:
                  filesystem: { resources: [ { name: a, glob: "*" } ] }
                  rest_api: { base_url: "http://localhost/" }
                """, ""));
        Problem problem = invalid.problems().getFirst();
        assertEquals("source.rest_api", problem.field());
        assertEquals("only one of rest_api, sql_database, filesystem may be given; filesystem is given too", problem.description());
    }

    @Test
    void aSecondKindIsRefusedEvenWhenTheFirstWasInvalid() {
        InvalidSpecException invalid = assertThrows(InvalidSpecException.class, () -> SpecReader.parse("""
                name: orders
                source:
                  filesystem: { resources: [ { name: a, glob: "*", format: xml } ] }
                  rest_api: { base_url: "http://localhost/" }
                """, ""));
        assertEquals(List.of("source.filesystem.resources[0].format", "source.rest_api"),
                invalid.problems().stream().map(Problem::field).toList());
        assertEquals("only one of rest_api, sql_database, filesystem may be given; filesystem is given too",
                invalid.problems().get(1).description());
    }

    @Test
    void aFieldGivenByBothItsNamesIsRefused() {
        InvalidSpecException invalid = assertThrows(InvalidSpecException.class, () -> SpecReader.parse("""
                name: orders
                source: { filesystem: { resources: [ { name: a, glob: "*", write_disposition: merge, writeDisposition: append } ] } }
                """, ""));
        Problem problem = invalid.problems().getFirst();
        assertEquals("source.filesystem.resources[0].writeDisposition", problem.field());
        assertEquals("given twice, as write_disposition and as writeDisposition", problem.description());
    }

    @Test
    void wellKnownTypesKeepTheirJsonSpellingsAndABadOneIsNamedByItsPath() {
        Pipeline pipeline = SpecReader.parse("""
                name: orders
                schedules: [ { interval: 1h, anchor: "2024-01-01T02:00:00Z" } ]
                """, "");
        assertEquals(Instant.parse("2024-01-01T02:00:00Z").getEpochSecond(), pipeline.getSchedules(0).getAnchor().getSeconds());

        InvalidSpecException invalid = assertThrows(InvalidSpecException.class, () -> SpecReader.parse("""
                name: orders
                schedules: [ { interval: 1h, anchor: "yesterday" } ]
                """, ""));
        Problem problem = invalid.problems().getFirst();
        assertEquals("schedules[0].anchor", problem.field());
        assertTrue(problem.description().contains("yesterday"), problem.description());
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
        assertTrue(problems.stream().allMatch(problem -> problem.kind() == Problem.Kind.INVALID), problems.toString());
    }

    @Test
    void schedulesAreRefusedByTheirFieldPaths() {
        InvalidSpecException refused = assertThrows(InvalidSpecException.class, () -> PipelineSpecs.toSpec(SpecReader.parse("""
                name: scheduled
                schedules:
                  - { cron: "61 * * * *" }
                  - { cron: "0 * * * *", timezone: Mars/Olympus }
                  - { interval: 10m, timezone: UTC, misfire: RUN_ALL }
                  - { interval: 5m, jitter: 2m, max_late_runs: 3 }
                  - { cron: "0 * * * *", interval: 1h }
                  - { name: hourly, cron: "0 * * * *" }
                  - { name: hourly, interval: 1h }
                  - { cron: "*/61 * * * *", timezone: Mars/Olympus }
                source: { filesystem: { resources: [ { name: a, glob: "*.csv" } ] } }
                destination: { duckdb: { path: s.duckdb } }
                """, ""), ""));
        assertEquals(List.of("schedules[0].cron", "schedules[1].timezone", "schedules[2].timezone", "schedules[2].misfire",
                        "schedules[3].max_late_runs", "schedules[3].jitter", "schedules[4]", "schedules[6].name",
                        "schedules[7].timezone", "schedules[7].cron"),
                refused.problems().stream().map(Problem::field).toList());
        PipelineSpec spec = PipelineSpecs.toSpec(SpecReader.parse("""
                name: scheduled
                schedules_paused: true
                schedules:
                  - { cron: "*/30 * * * *", timezone: Europe/Warsaw, late_runs: ALL, max_late_runs: 4, jitter: 20s }
                  - { name: nightly, interval: 24h, anchor: "2024-01-01T02:00:00Z", misfire: SKIP_MISSED }
                source: { filesystem: { resources: [ { name: a, glob: "*.csv" } ] } }
                destination: { duckdb: { path: s.duckdb } }
                """, ""), "");
        assertTrue(spec.schedulesPaused());
        assertEquals(List.of("*/30 * * * *", "nightly"), spec.schedules().stream().map(ScheduleSpec::name).toList());
        assertEquals(new ScheduleSpec("nightly", new ScheduleTiming.Interval(java.time.Duration.ofHours(24),
                        java.time.Instant.parse("2024-01-01T02:00:00Z")), true, ScheduleSpec.Misfire.SKIP, ScheduleSpec.LateRuns.COALESCE,
                ScheduleSpec.DEFAULT_MAX_LATE_RUNS, ScheduleSpec.DEFAULT_MISFIRE_GRACE, java.time.Duration.ZERO), spec.schedules().get(1));
    }

    @Test
    void retryPoliciesMapWithTheirDefaults() {
        String base = "name: retried\nsource: { filesystem: { resources: [ { name: a, glob: \"*.csv\" } ] } }\n"
                + "destination: { duckdb: { path: r.duckdb } }\n";
        assertEquals(RetryPolicy.NONE, PipelineSpecs.toSpec(SpecReader.parse(base, ""), "").retries());
        assertEquals(1, RetryPolicy.NONE.maxAttempts());
        assertEquals(new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(5), 0),
                PipelineSpecs.toSpec(SpecReader.parse(base + "retries: { max_attempts: 3 }", ""), "").retries());
        assertEquals(new RetryPolicy(5, Duration.ofMillis(1500), Duration.ofSeconds(20), 0.25), PipelineSpecs.toSpec(SpecReader.parse(
                base + "retries: { max_attempts: 5, backoff: 1500ms, max_backoff: 20s, jitter: 0.25 }", ""), "").retries());
        assertEquals(new RetryPolicy(2, Duration.ofMinutes(10), Duration.ofMinutes(10), 0),
                PipelineSpecs.toSpec(SpecReader.parse(base + "retries: { max_attempts: 2, backoff: 10m }", ""), "").retries(),
                "an unset max_backoff never undercuts the backoff");
        PipelineSpec retried = PipelineSpecs.toSpec(SpecReader.parse(base + "retries: { maxAttempts: 4, maxBackoff: 1m }", ""), "");
        assertEquals(retried, PipelineSpecs.fromJson(retried.json()), "the policy survives storing");
        assertEquals(4, retried.retries().maxAttempts());
    }

    @Test
    void everyBadRetryFieldIsNamedByItsPath() {
        String base = "name: retried\nsource: { filesystem: { resources: [ { name: a, glob: \"*.csv\" } ] } }\n"
                + "destination: { duckdb: { path: r.duckdb } }\n";
        InvalidSpecException invalid = assertThrows(InvalidSpecException.class, () -> PipelineSpecs.toSpec(SpecReader.parse(
                base + "retries: { max_attempts: 0, backoff: soon, max_backoff: 0s, jitter: 1.5 }", ""), ""));
        assertEquals(List.of("retries.max_attempts: required: attempts in all, the first included, from 1 to 100",
                        "retries.backoff: 'soon' is not a duration: write a number and a unit (ms, s, m, h, d), e.g. 90s or 1h30m",
                        "retries.max_backoff: must be longer than zero",
                        "retries.jitter: 1.5 is not a fraction of the delay: from 0 (none) to 1 (anywhere from no wait to twice the delay)"),
                invalid.problems().stream().map(Problem::toString).toList());
        assertTrue(invalid.problems().stream().allMatch(problem -> problem.kind() == Problem.Kind.INVALID), invalid.problems().toString());

        assertEquals(List.of("retries.max_attempts: got 101: attempts in all, the first included, from 1 to 100",
                        "retries.max_backoff: '5s' is shorter than the backoff (10s, the default)",
                        "retries.jitter: -0.1 is not a fraction of the delay: from 0 (none) to 1 (anywhere from no wait to twice the delay)"),
                PipelineSpecs.problems(SpecReader.parse(base + "retries: { max_attempts: 101, max_backoff: 5s, jitter: -0.1 }", ""))
                        .stream().map(Problem::toString).toList());
        assertEquals(List.of("retries.max_backoff: '1m' is shorter than the backoff ('2m')"),
                PipelineSpecs.problems(SpecReader.parse(base + "retries: { max_attempts: 2, backoff: 2m, max_backoff: 1m }", ""))
                        .stream().map(Problem::toString).toList());
        assertEquals(List.of("retries.max_attempts: expected a whole number, got text \"three\""),
                assertThrows(InvalidSpecException.class, () -> SpecReader.parse(base + "retries: { max_attempts: three }", ""))
                        .problems().stream().map(Problem::toString).toList());
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
        assertTrue(problems.stream().allMatch(problem -> problem.kind() == Problem.Kind.INVALID), problems.toString());
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
    void aSpecAsksItsDestinationOnlyForWhatItsCapabilitiesDeclare() {
        DestinationCapabilities narrow = new DestinationCapabilities("Narrow", EnumSet.allOf(io.sluice.schema.WriteDisposition.class),
                EnumSet.of(DestinationCapabilities.MergeKind.DELETE_INSERT, DestinationCapabilities.MergeKind.SCD2),
                EnumSet.of(io.sluice.schema.ReplaceStrategy.TRUNCATE_AND_INSERT),
                EnumSet.complementOf(EnumSet.of(io.sluice.schema.DataType.BINARY)), 18, 20,
                DestinationCapabilities.Staging.IN_PLACE, true, false, Optional.of("sys_"));
        Pipeline pipeline = SpecReader.parse("""
                name: narrow
                source:
                  filesystem:
                    resources:
                      - { name: a, glob: "*.csv", write_disposition: merge, merge_strategy: upsert, primary_key: [id],
                          columns: [ {name: photo, data_type: BINARY}, {name: price, data_type: DECIMAL, precision: 20, scale: 2} ] }
                      - { name: b, glob: "*.csv", write_disposition: replace, replace_strategy: staging_optimized }
                      - { name: c, glob: "*.csv", write_disposition: merge, merge_strategy: scd2,
                          scd2: { valid_from_column: a_validity_column_past_twenty } }
                destination: { duckdb: { path: x.duckdb }, dataset: sys_a_dataset_past_twenty }
                """, "");
        String a = "source.filesystem.resources[0]";
        assertEquals(List.of(
                        Problem.invalid(a + ".merge_strategy", "Narrow does not take merge_strategy UPSERT; it merges with DELETE_INSERT, SCD2"),
                        Problem.invalid(a + ".columns[0].data_type", "Narrow does not take data_type BINARY; it stores BOOL, BIGINT, DOUBLE,"
                                + " DECIMAL, TEXT, TIMESTAMP, DATE, TIME, JSON"),
                        Problem.invalid(a + ".columns[1].scale", "need 0 <= scale <= precision <= 18"),
                        Problem.invalid("source.filesystem.resources[1].replace_strategy",
                                "Narrow does not take replace_strategy STAGING_OPTIMIZED; it replaces with TRUNCATE_AND_INSERT"),
                        Problem.invalid("source.filesystem.resources[2].scd2.valid_from_column",
                                "'a_validity_column_past_twenty' is longer than the 20 bytes Narrow takes in a name"),
                        Problem.invalid("destination.dataset", "'sys_a_dataset_past_twenty' is longer than the 20 bytes Narrow takes in a name"),
                        Problem.invalid("destination.dataset", "'sys_a_dataset_past_twenty': Narrow reserves schema names starting with sys_")),
                PipelineSpecMapper.problems(pipeline, Optional.of(narrow)));
        assertEquals(List.of(), PipelineSpecs.problems(pipeline), "DuckDB, the destination the spec names, takes all of it");

        assertEquals(List.of(Problem.invalid("destination.dataset",
                        "'a_pipeline_named_past_twenty' (the default, from the pipeline name) is longer than the 20 bytes"
                                + " Narrow takes in a name")),
                PipelineSpecMapper.problems(SpecReader.parse("""
                        name: a-pipeline-named-past-twenty
                        source: { filesystem: { resources: [ { name: a, glob: "*.csv" } ] } }
                        destination: { duckdb: { path: x.duckdb } }
                        """, ""), Optional.of(narrow)));

        DestinationCapabilities appendOnly = new DestinationCapabilities("Appender", EnumSet.of(io.sluice.schema.WriteDisposition.APPEND),
                Set.of(), Set.of(), EnumSet.of(io.sluice.schema.DataType.TEXT), 0, 63, DestinationCapabilities.Staging.IN_PLACE,
                false, false, Optional.empty());
        assertEquals(List.of(Problem.invalid("source.filesystem.resources[0].write_disposition",
                        "Appender does not take write_disposition MERGE; it loads APPEND")),
                PipelineSpecMapper.problems(SpecReader.parse("""
                        name: appending
                        source: { filesystem: { resources: [ { name: a, glob: "*.csv", write_disposition: merge, primary_key: [id] } ] } }
                        destination: { duckdb: { path: x.duckdb } }
                        """, ""), Optional.of(appendOnly)), "a destination that cannot merge is told once, not once per merge setting");
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
        assertEquals(List.of(Problem.invalid("source.filesystem.resources[1].replace_strategy", "applies only with write_disposition REPLACE")),
                problems);
    }

    @Test
    void mergeNeedsAKey() {
        List<Problem> problems = PipelineSpecs.problems(SpecReader.parse("""
                name: merging
                source: { filesystem: { resources: [ { name: a, glob: "*.csv", write_disposition: merge },
                          { name: b, glob: "*.csv", write_disposition: merge, merge_key: [day] },
                          { name: c, glob: "*.csv", merge_strategy: delete_insert },
                          { name: d, glob: "*.csv", write_disposition: merge, primary_key: [id], merge_strategy: delete_insert } ] } }
                destination: { duckdb: { path: x.duckdb } }
                """, ""));
        assertEquals(List.of("source.filesystem.resources[0].primary_key", "source.filesystem.resources[2].merge_strategy"),
                problems.stream().map(Problem::field).toList());
    }

    @Test
    void mergeSettingsAreCheckedFieldByField() {
        List<Problem> problems = PipelineSpecs.problems(SpecReader.parse("""
                name: merging
                source:
                  filesystem:
                    resources:
                      - { name: a, glob: "*.csv", write_disposition: merge, merge_strategy: upsert, merge_key: [day],
                          columns: [ {name: at, dedup_sort: desc}, {name: gone, hard_delete: true}, {name: also_gone, hard_delete: true} ] }
                      - { name: b, glob: "*.csv", columns: [ {name: gone, hard_delete: true}, {name: at, dedup_sort: asc} ],
                          scd2: { valid_to_column: to } }
                      - { name: c, glob: "*.csv", write_disposition: merge, merge_strategy: scd2, merge_key: [day],
                          columns: [ {name: at, dedup_sort: asc} ] }
                      - { name: d, glob: "*.csv", write_disposition: merge, merge_strategy: scd2, columns: [ {name: gone, hard_delete: true} ],
                          scd2: { valid_from_column: "Valid From", valid_to_column: _sluice_valid_from, row_version_column: "v-1",
                                  active_record_timestamp: "someday", boundary_timestamp: "2024-13-01" } }
                destination: { duckdb: { path: x.duckdb } }
                """, ""));
        String a = "source.filesystem.resources[0]";
        String b = "source.filesystem.resources[1]";
        String d = "source.filesystem.resources[3]";
        assertEquals(List.of(a + ".primary_key", a + ".merge_key", a + ".columns[0].dedup_sort", a + ".columns[2].hard_delete",
                        b + ".columns[0].hard_delete", b + ".columns[1].dedup_sort", b + ".scd2",
                        "source.filesystem.resources[2].columns[0].dedup_sort",
                        d + ".columns[0].hard_delete", d + ".scd2.valid_from_column", d + ".scd2.row_version_column",
                        d + ".scd2.active_record_timestamp", d + ".scd2.boundary_timestamp"),
                problems.stream().map(Problem::field).toList(), problems.toString());
        assertTrue(problems.stream().allMatch(problem -> problem.kind() == Problem.Kind.INVALID), problems.toString());
        assertTrue(problems.contains(Problem.invalid(a + ".columns[2].hard_delete",
                "'gone' is the hard_delete column already; a table has one")), problems.toString());

        List<Problem> sameColumns = PipelineSpecs.problems(SpecReader.parse("""
                name: merging
                source: { filesystem: { resources: [ { name: a, glob: "*.csv", write_disposition: merge, merge_strategy: scd2,
                          scd2: { valid_from_column: valid, valid_to_column: valid } } ] } }
                destination: { duckdb: { path: x.duckdb } }
                """, ""));
        assertEquals(List.of(Problem.invalid("source.filesystem.resources[0].scd2.valid_to_column",
                "must differ from valid_from_column ('valid')")), sameColumns);
    }

    @Test
    void mergeSettingsMapToTheTableHints() {
        PipelineSpec spec = PipelineSpecs.toSpec(SpecReader.parse("""
                name: merging
                source:
                  filesystem:
                    resources:
                      - { name: a, glob: "*.csv", write_disposition: merge, primary_key: [id],
                          columns: [ {name: at, dedup_sort: desc}, {name: gone, hard_delete: true} ] }
                      - { name: b, glob: "*.csv", write_disposition: merge, merge_strategy: upsert, primary_key: [id] }
                      - { name: c, glob: "*.csv", write_disposition: merge, merge_strategy: scd2 }
                      - { name: d, glob: "*.csv", write_disposition: merge, merge_strategy: scd2, merge_key: [id],
                          scd2: { valid_from_column: since, valid_to_column: until, row_version_column: version,
                                  active_record_timestamp: "9999-12-31", boundary_timestamp: "2024-05-01T12:00:00+02:00" } }
                destination: { duckdb: { path: x.duckdb } }
                """, ""), "");
        List<io.sluice.schema.TableHints> hints = spec.source().resources().stream().map(ResourceSpec::hints).toList();
        assertEquals(new io.sluice.schema.MergeStrategy.DeleteInsert(), hints.get(0).mergeStrategy());
        assertEquals(List.of(Optional.of(io.sluice.schema.SortOrder.DESCENDING), Optional.empty()),
                hints.get(0).columns().stream().map(io.sluice.schema.ColumnHint::dedupSort).toList());
        assertEquals(List.of(false, true), hints.get(0).columns().stream().map(io.sluice.schema.ColumnHint::hardDelete).toList());
        assertEquals(new io.sluice.schema.MergeStrategy.Upsert(), hints.get(1).mergeStrategy());
        assertEquals(new io.sluice.schema.MergeStrategy.Scd2("_sluice_valid_from", "_sluice_valid_to", Optional.empty(),
                Optional.empty(), Optional.empty()), hints.get(2).mergeStrategy());
        assertEquals(new io.sluice.schema.MergeStrategy.Scd2("since", "until", Optional.of("version"),
                Optional.of(java.time.Instant.parse("9999-12-31T00:00:00Z")), Optional.of(java.time.Instant.parse("2024-05-01T10:00:00Z"))),
                hints.get(3).mergeStrategy());
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
        assertFalse(Durations.parse("0s").isPositive(), "zero is not a positive duration");
    }
}
