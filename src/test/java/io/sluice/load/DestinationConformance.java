package io.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.Trigger;
import io.sluice.pipeline.DestinationCapabilities;
import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineState;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.Problem;
import io.sluice.pipeline.SpecReader;
import io.sluice.runs.RunExecutor;
import io.sluice.runs.SluiceConfig;
import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import io.sluice.schema.ReplaceStrategy;
import io.sluice.schema.Schema;
import io.sluice.schema.TableSchema;
import io.sluice.schema.WriteDisposition;
import io.sluice.testing.EndedRun;
import io.sluice.testing.Specs;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The suite every destination must pass: each write disposition and strategy it declares loads as it should — the
 * merge strategies over three loads with inserts, updates and deletes and a nested list, every replace strategy
 * across three runs — and what it does not declare is refused by the spec; names longer than its limit are shortened
 * to it; each type it stores reads back as itself; a failed commit leaves the dataset as it was when its DDL is
 * transactional, and its jobs staged where the destination says. What one destination does, every other must do the same, to the row.
 *
 * <p>A destination joins with a subclass (a {@code @QuarkusTest} with this suite's test resources) that says how a
 * spec names it and how to query it: see {@link DuckDbConformanceTest} and {@link PostgresConformanceTest}.
 */
abstract class DestinationConformance {
    private static final String B1 = "2024-01-01T00:00:00Z";
    private static final String B2 = "2024-02-01T00:00:00Z";
    private static final String B3 = "2024-03-01T00:00:00Z";
    private static final String ACTIVE = "9999-12-31";

    @Inject
    RunExecutor executor;

    @Inject
    SluiceConfig config;

    @Inject
    Destinations destinations;

    /** The destination's word in dataset names: {@code duckdb}, {@code postgres}. */
    abstract String kind();

    /** The spec's YAML for this destination, loading into {@code dataset}, which holds nothing when this returns. */
    abstract String destination(String dataset);

    /** Every row of {@code sql} run in the destination that holds {@code dataset}, each value as text (null as "null"). */
    abstract List<List<String>> rows(String dataset, String sql);

    /** Runs {@code sql} (DDL, say) in the destination that holds {@code dataset}. */
    abstract void execute(String dataset, String sql);

    /** A pipeline over {@code items.jsonl}, loading into a dataset of its own. */
    final class Fixture {
        final String dataset;
        final Path directory;
        private final String destination;
        private final String keys;

        /**
         * @param name the dataset's name, without this destination's word
         * @param keys resource keys every run has (YAML flow style, ending in a comma)
         */
        Fixture(String name, String keys) throws IOException {
            this.dataset = name + "_" + kind();
            this.directory = Files.createTempDirectory(dataset);
            this.destination = destination(dataset);
            this.keys = keys;
        }

        Fixture(String name) throws IOException {
            this(name, "");
        }

        /** The spec of the pipeline, with the resource keys {@code options} (YAML flow style) after those of every run. */
        PipelineSpec spec(String options) {
            return Specs.items(dataset.replace('_', '-'), directory, keys + options, destination);
        }

        /** Loads {@code lines} with the resource keys {@code options} to the run's end. */
        Run run(String options, String... lines) throws IOException, InterruptedException {
            Files.writeString(directory.resolve("items.jsonl"), String.join("\n", lines) + "\n");
            return EndedRun.watch(executor, executor.start(spec(options), "", Trigger.CLI)).run();
        }

        Run completed(String options, String... lines) throws IOException, InterruptedException {
            Run run = run(options, lines);
            assertEquals(RunState.COMPLETED, run.state(), run.error());
            return run;
        }

        /** Every row of {@code sql}, in which {@code {ds}} names the dataset, each value as text. */
        List<List<String>> query(String sql) {
            return rows(dataset, sql.replace("{ds}", dataset));
        }

        long count(String sql) {
            return Long.parseLong(query(sql).getFirst().getFirst());
        }

        void execute(String sql) {
            DestinationConformance.this.execute(dataset, sql.replace("{ds}", dataset));
        }

        /** Each nested row with its root's {@code rootColumns}, asserting that every nested row has its root. */
        List<List<String>> nested(String table, String rootColumns, String nestedColumns) {
            List<List<String>> rows = query("SELECT " + rootColumns + ", " + nestedColumns + " FROM {ds}." + table
                    + " n JOIN {ds}.items i ON n._sluice_root_id = i._sluice_id ORDER BY " + rootColumns + ", " + nestedColumns);
            assertEquals(count("SELECT count(*) FROM {ds}." + table), rows.size(), "every row of " + table + " has its root row");
            return rows;
        }

        /** The problems of the spec with {@code options}, which it must have. */
        List<Problem> refused(String options) {
            return assertThrows(InvalidSpecException.class, () -> spec(options)).problems();
        }

        /** The destination, opened as a run opens it. */
        Destination open() {
            return destinations.open(spec("").destination());
        }
    }

    /** The capabilities this destination declares. */
    private DestinationCapabilities declared() throws IOException {
        return new Fixture("capabilities").spec("").destination().capabilities();
    }

    /** A pipeline that merges into a dataset of its own. */
    private Fixture merging(String name) throws IOException {
        return new Fixture("merge_" + name, "write_disposition: merge, ");
    }

    private static String epoch(String column) {
        return "CAST(extract(epoch FROM " + column + ") AS BIGINT)";
    }

    private static String seconds(String timestamp) {
        return timestamp.equals("null") ? "null" : String.valueOf(
                (timestamp.length() == 10 ? Instant.parse(timestamp + "T00:00:00Z") : Instant.parse(timestamp)).getEpochSecond());
    }

    /** A version row: key, name, valid from and valid to (as epoch seconds). */
    private static List<String> version(String id, String name, String from, String to) {
        return List.of(id, name, seconds(from), seconds(to));
    }

    @Test
    void deleteInsertKeepsTheSortedRowPerKeyAndHardDeletes() throws Exception {
        Fixture fixture = merging("delete_insert");
        String options = "primary_key: [id], columns: [ {name: version, dedup_sort: desc}, {name: deleted, hard_delete: true} ]";
        fixture.completed(options,
                "{\"id\": 1, \"version\": 1, \"name\": \"one\", \"tags\": [\"a\", \"b\"]}",
                "{\"id\": 2, \"version\": 1, \"name\": \"two\", \"tags\": [\"c\"]}",
                "{\"id\": 3, \"version\": 1, \"name\": \"three\"}");
        fixture.completed(options,
                "{\"id\": 2, \"version\": 3, \"name\": \"two v3\", \"tags\": [\"d\", \"e\"]}",
                "{\"id\": 2, \"version\": 2, \"name\": \"two v2\", \"tags\": [\"x\"]}",
                "{\"id\": 3, \"deleted\": true}",
                "{\"id\": 4, \"version\": 1, \"name\": \"four\", \"tags\": [\"f\"]}");
        assertEquals(List.of(List.of("1", "one"), List.of("2", "two v3"), List.of("4", "four")),
                fixture.query("SELECT id, name FROM {ds}.items ORDER BY id"));
        assertEquals(List.of(List.of("1", "a"), List.of("1", "b"), List.of("2", "d"), List.of("2", "e"), List.of("4", "f")),
                fixture.nested("items__tags", "i.id", "n.value"));

        fixture.completed(options,
                "{\"id\": 1, \"version\": 2, \"name\": \"one v2\"}",
                "{\"id\": 4, \"version\": 2, \"deleted\": true}",
                "{\"id\": 4, \"version\": 1, \"name\": \"four again\", \"tags\": [\"g\"]}",
                "{\"id\": 5, \"version\": 1, \"name\": \"five\", \"deleted\": false, \"tags\": [\"h\"]}",
                "{\"id\": 3, \"version\": 9, \"name\": \"three back\"}");
        assertEquals(List.of(List.of("1", "one v2", "2"), List.of("2", "two v3", "3"), List.of("3", "three back", "9"),
                        List.of("5", "five", "1")),
                fixture.query("SELECT id, name, version FROM {ds}.items ORDER BY id"),
                "4's newest row deletes it; a row whose hard-delete column is false is loaded");
        assertEquals(List.of(List.of("2", "d"), List.of("2", "e"), List.of("5", "h")), fixture.nested("items__tags", "i.id", "n.value"));
    }

    @Test
    void rowsAreOneRecordOnlyWhenEveryColumnOfTheKeyIsAlikeNullsIncluded() throws Exception {
        Fixture fixture = merging("compound_key");
        String options = "primary_key: [a, b], columns: [ {name: n, dedup_sort: desc} ]";
        fixture.completed(options, "{\"a\": 1, \"b\": 1, \"n\": 1}", "{\"a\": 1, \"b\": 2, \"n\": 2}", "{\"a\": 2, \"b\": 1, \"n\": 3}");
        assertEquals(List.of(List.of("1", "1", "1"), List.of("1", "2", "2"), List.of("2", "1", "3")),
                fixture.query("SELECT a, b, n FROM {ds}.items ORDER BY n"), "rows that share one column of the key are different records");

        fixture.completed(options, "{\"a\": 3, \"n\": 4}", "{\"a\": 3, \"n\": 5}", "{\"n\": 6}", "{\"n\": 7}");
        assertEquals(List.of(List.of("1", "1", "1"), List.of("1", "2", "2"), List.of("2", "1", "3"), List.of("3", "null", "5"),
                        List.of("null", "null", "7")),
                fixture.query("SELECT a, b, n FROM {ds}.items ORDER BY n"), "null values of the key are alike: one row per key stays");
    }

    @Test
    void aMergeKeyReplacesEveryStoredRowWithItsValue() throws Exception {
        Fixture fixture = merging("merge_key");
        String options = "merge_key: [day], columns: [ {name: deleted_at, hard_delete: true} ]";
        fixture.completed(options,
                "{\"day\": \"d1\", \"n\": 1, \"tags\": [\"a\"]}",
                "{\"day\": \"d1\", \"n\": 2}",
                "{\"day\": \"d2\", \"n\": 3, \"tags\": [\"b\"]}");
        fixture.completed(options,
                "{\"day\": \"d2\", \"n\": 4, \"tags\": [\"c\"]}",
                "{\"day\": \"d2\", \"n\": 4, \"tags\": [\"c\"]}",
                "{\"day\": \"d3\", \"n\": 5}");
        assertEquals(List.of(List.of("d1", "1"), List.of("d1", "2"), List.of("d2", "4"), List.of("d2", "4"), List.of("d3", "5")),
                fixture.query("SELECT day, n FROM {ds}.items ORDER BY day, n"), "without a primary key nothing is de-duplicated");
        assertEquals(List.of(List.of("1", "a"), List.of("4", "c"), List.of("4", "c")), fixture.nested("items__tags", "i.n", "n.value"));

        fixture.completed(options,
                "{\"day\": \"d1\", \"n\": 6, \"tags\": [\"z\"], \"deleted_at\": null}",
                "{\"day\": \"d3\", \"deleted_at\": \"2024-05-01T00:00:00Z\"}");
        assertEquals(List.of(List.of("d1", "6"), List.of("d2", "4"), List.of("d2", "4")),
                fixture.query("SELECT day, n FROM {ds}.items ORDER BY day, n"),
                "a timestamp in the hard-delete column deletes d3's rows; a null one deletes nothing");
        assertEquals(List.of(List.of("4", "c"), List.of("4", "c"), List.of("6", "z")), fixture.nested("items__tags", "i.n", "n.value"));
    }

    @Test
    void primaryAndMergeKeysBothReplace() throws Exception {
        Fixture fixture = merging("both_keys");
        String options = "primary_key: [n], merge_key: [day]";
        fixture.completed(options, "{\"day\": \"d1\", \"n\": 1}", "{\"day\": \"d2\", \"n\": 2}", "{\"day\": \"d2\", \"n\": 3}",
                "{\"day\": \"d3\", \"n\": 4}");
        fixture.completed(options, "{\"day\": \"d2\", \"n\": 1, \"name\": \"moved\"}", "{\"day\": \"d2\", \"n\": 1, \"name\": \"moved\"}");
        assertEquals(List.of(List.of("d2", "1", "moved"), List.of("d3", "4", "null")),
                fixture.query("SELECT day, n, name FROM {ds}.items ORDER BY n"),
                "1 left d1 by its primary key, d2's rows went by their merge key, one row per primary key stayed");
    }

    @Test
    void aPrimaryKeyDeclaredLaterAppliesToTheStoredColumn() throws Exception {
        Fixture fixture = merging("later_key");
        fixture.completed("merge_key: [day]", "{\"day\": \"d1\", \"id\": 1}", "{\"day\": \"d2\", \"id\": 2}");
        fixture.completed("primary_key: [id], merge_key: [day]", "{\"day\": \"d3\", \"id\": 1}", "{\"day\": \"d3\", \"id\": 1}");
        assertEquals(List.of(List.of("d2", "2"), List.of("d3", "1")), fixture.query("SELECT day, id FROM {ds}.items ORDER BY day"));
    }

    @Test
    void upsertUpdatesRowsInPlaceAndReplacesTheirNestedRows() throws Exception {
        Fixture fixture = merging("upsert");
        String options = "merge_strategy: upsert, primary_key: [id], columns: [ {name: version, dedup_sort: asc},"
                + " {name: deleted, hard_delete: true} ]";
        fixture.completed(options,
                "{\"id\": 1, \"name\": \"one\", \"orders\": [{\"sku\": \"a\", \"parts\": [1, 2]}]}",
                "{\"id\": 2, \"name\": \"two\", \"orders\": [{\"sku\": \"b\"}]}",
                "{\"id\": 3, \"name\": \"three\"}");
        Map<String, String> ids = fixture.query("SELECT id, _sluice_id FROM {ds}.items").stream()
                .collect(Collectors.toMap(List::getFirst, List::getLast));

        Run second = fixture.completed(options,
                "{\"id\": 2, \"name\": \"two v2\", \"note\": \"new\", \"orders\": [{\"sku\": \"c\", \"parts\": [3]}, {\"sku\": \"d\"}]}",
                "{\"id\": 1, \"name\": \"one v2\"}",
                "{\"id\": 3, \"deleted\": true}",
                "{\"id\": 4, \"name\": \"four\", \"orders\": [{\"sku\": \"e\"}]}");
        String secondLoad = second.summary().orElseThrow().loadId();
        assertEquals(List.of(List.of("1", "one v2", "null", ids.get("1"), secondLoad), List.of("2", "two v2", "new", ids.get("2"), secondLoad)),
                fixture.query("SELECT id, name, note, _sluice_id, _sluice_load_id FROM {ds}.items WHERE id < 4 ORDER BY id"),
                "updated rows keep their id; 3 is deleted");
        assertEquals(1, fixture.count("SELECT count(*) FROM {ds}.items WHERE id = 4"));
        assertEquals(List.of(List.of("2", "c"), List.of("2", "d"), List.of("4", "e")), fixture.nested("items__orders", "i.id", "n.sku"));
        assertEquals(3, fixture.count("SELECT count(*) FROM {ds}.items__orders o JOIN {ds}.items i ON o._sluice_parent_id = i._sluice_id"),
                "first-level nested rows point at the id their root kept");
        assertEquals(List.of(List.of("2", "3")), fixture.nested("items__orders__parts", "i.id", "n.value"));

        fixture.completed(options,
                "{\"id\": 2, \"name\": \"two v3\"}",
                "{\"id\": 4, \"deleted\": true}",
                "{\"id\": 5, \"version\": 2, \"name\": \"five later\"}",
                "{\"id\": 5, \"version\": 1, \"name\": \"five\", \"orders\": [{\"sku\": \"g\", \"parts\": [7]}]}",
                "{\"id\": 1, \"name\": \"one v3\", \"orders\": [{\"sku\": \"h\"}]}");
        assertEquals(List.of(List.of("1", "one v3", "null", ids.get("1")), List.of("2", "two v3", "null", ids.get("2")),
                        List.of("5", "five", "null", "1")),
                fixture.query("SELECT id, name, note, CASE WHEN id < 5 THEN _sluice_id ELSE CAST(version AS VARCHAR) END"
                        + " FROM {ds}.items ORDER BY id"),
                "a column the update lacks becomes NULL; of 5's rows the lowest version stays");
        assertEquals(List.of(List.of("1", "h"), List.of("5", "g")), fixture.nested("items__orders", "i.id", "n.sku"));
        assertEquals(List.of(List.of("5", "g", "7")), fixture.query("SELECT i.id, o.sku, p.value FROM {ds}.items__orders__parts p"
                + " JOIN {ds}.items__orders o ON p._sluice_parent_id = o._sluice_id JOIN {ds}.items i ON p._sluice_root_id = i._sluice_id"));
        assertEquals(1, fixture.count("SELECT count(*) FROM {ds}.items__orders__parts"));
    }

    @Test
    void upsertOverRowsOfOneKeyKeepsOneRecord() throws Exception {
        Fixture fixture = merging("upsert_duplicates");
        fixture.completed("merge_key: [day]", "{\"day\": \"d1\", \"id\": 1, \"name\": \"a\", \"tags\": [\"x\"]}",
                "{\"day\": \"d1\", \"id\": 1, \"name\": \"b\", \"tags\": [\"x\"]}", "{\"day\": \"d1\", \"id\": 2, \"name\": \"c\"}");
        fixture.completed("merge_strategy: upsert, primary_key: [id]", "{\"id\": 1, \"name\": \"d\", \"tags\": [\"y\"]}");
        assertEquals(List.of(List.of("1", "d"), List.of("2", "c")), fixture.query("SELECT id, name FROM {ds}.items ORDER BY id"));
        assertEquals(List.of(List.of("1", "y")), fixture.nested("items__tags", "i.id", "n.value"));
    }

    @Test
    void scd2RetiresChangedAndMissingRecordsAndKeepsTheirNestedRows() throws Exception {
        Fixture fixture = merging("scd2");
        String options = "merge_strategy: scd2, primary_key: [id], scd2: { boundary_timestamp: \"%s\" }";
        String versions = "SELECT id, name, " + epoch("_sluice_valid_from") + ", " + epoch("_sluice_valid_to")
                + " FROM {ds}.items ORDER BY id, _sluice_valid_from";
        fixture.completed(options.formatted(B1),
                "{\"id\": 1, \"name\": \"one\", \"tags\": [\"a\"]}",
                "{\"id\": 2, \"name\": \"two\", \"tags\": [\"b\", \"c\"]}",
                "{\"id\": 3, \"name\": \"three\"}");
        fixture.completed(options.formatted(B2),
                "{\"id\": 1, \"name\": \"one\", \"tags\": [\"a\"]}",
                "{\"id\": 2, \"name\": \"two v2\", \"tags\": [\"d\"]}",
                "{\"id\": 4, \"name\": \"four\"}");
        assertEquals(List.of(version("1", "one", B1, "null"), version("2", "two", B1, B2), version("2", "two v2", B2, "null"),
                version("3", "three", B1, B2), version("4", "four", B2, "null")), fixture.query(versions));

        fixture.completed(options.formatted(B3),
                "{\"id\": 1, \"name\": \"one\", \"tags\": [\"a\", \"z\"]}",
                "{\"id\": 2, \"name\": \"two v2\", \"tags\": [\"d\"]}",
                "{\"id\": 3, \"name\": \"three\"}");
        assertEquals(List.of(version("1", "one", B1, B3), version("1", "one", B3, "null"), version("2", "two", B1, B2),
                        version("2", "two v2", B2, "null"), version("3", "three", B1, B2), version("3", "three", B3, "null"),
                        version("4", "four", B2, B3)), fixture.query(versions),
                "a change in a nested list is a new version; a retired record that comes back is one too");
        assertEquals(List.of(List.of("1", seconds(B1), "a"), List.of("1", seconds(B3), "a"), List.of("1", seconds(B3), "z"),
                        List.of("2", seconds(B1), "b"), List.of("2", seconds(B1), "c"), List.of("2", seconds(B2), "d")),
                fixture.nested("items__tags", "i.id, " + epoch("i._sluice_valid_from"), "n.value"));
        assertEquals(1, fixture.count("SELECT count(DISTINCT _sluice_load_id) FROM {ds}.items WHERE id = 2 AND _sluice_valid_to IS NULL"),
                "an unchanged version is left as it was");
    }

    @Test
    void incrementalScd2RetiresOnlyTheKeysItBringsAndHardDeletes() throws Exception {
        Fixture fixture = merging("scd2_incremental");
        String options = "merge_strategy: scd2, merge_key: [id], columns: [ {name: deleted, hard_delete: true} ],"
                + " scd2: { valid_from_column: valid_from, valid_to_column: valid_to, active_record_timestamp: \"" + ACTIVE + "\","
                + " boundary_timestamp: \"%s\" }";
        String versions = "SELECT id, name, " + epoch("valid_from") + ", " + epoch("valid_to") + " FROM {ds}.items ORDER BY id, valid_from";
        fixture.completed(options.formatted(B1),
                "{\"id\": 1, \"name\": \"one\", \"tags\": [\"a\"]}",
                "{\"id\": 2, \"name\": \"two\"}",
                "{\"id\": 3, \"name\": \"three\"}");
        fixture.completed(options.formatted(B2), "{\"id\": 2, \"name\": \"two v2\", \"tags\": [\"b\"]}");
        assertEquals(List.of(version("1", "one", B1, ACTIVE), version("2", "two", B1, B2), version("2", "two v2", B2, ACTIVE),
                version("3", "three", B1, ACTIVE)), fixture.query(versions), "records the load does not bring stay active");

        fixture.completed(options.formatted(B3),
                "{\"id\": 3, \"deleted\": true}",
                "{\"id\": 1, \"name\": \"one\", \"tags\": [\"a\"]}",
                "{\"id\": 4, \"name\": \"four\", \"tags\": [\"f\"]}");
        assertEquals(List.of(version("1", "one", B1, ACTIVE), version("2", "two", B1, B2), version("2", "two v2", B2, ACTIVE),
                version("3", "three", B1, B3), version("4", "four", B3, ACTIVE)), fixture.query(versions));
        assertEquals(List.of(List.of("1", seconds(B1), "a"), List.of("2", seconds(B2), "b"), List.of("4", seconds(B3), "f")),
                fixture.nested("items__tags", "i.id, " + epoch("i.valid_from"), "n.value"));
        assertEquals(List.of(List.of("0")), fixture.query("SELECT count(*) FROM information_schema.columns WHERE table_schema = '"
                + fixture.dataset + "' AND column_name LIKE '%valid%' AND column_name NOT IN ('valid_from', 'valid_to')"),
                "the validity columns are named as the spec says");
    }

    @Test
    void scd2ComparesTheRowVersionColumnInsteadOfAHash() throws Exception {
        Fixture fixture = merging("scd2_version");
        String options = "merge_strategy: scd2, primary_key: [id], scd2: { row_version_column: updated_at, boundary_timestamp: \"%s\" }";
        fixture.completed(options.formatted(B1), "{\"id\": 1, \"updated_at\": 1, \"name\": \"one\"}",
                "{\"id\": 2, \"updated_at\": 1, \"name\": \"two\"}");
        fixture.completed(options.formatted(B2), "{\"id\": 1, \"updated_at\": 1, \"name\": \"ONE\"}",
                "{\"id\": 2, \"updated_at\": 2, \"name\": \"two v2\"}");
        fixture.completed(options.formatted(B3), "{\"id\": 2, \"updated_at\": 2, \"name\": \"two v2\"}");
        assertEquals(List.of(version("1", "one", B1, B3), version("2", "two", B1, B2), version("2", "two v2", B2, "null")),
                fixture.query("SELECT id, name, " + epoch("_sluice_valid_from") + ", " + epoch("_sluice_valid_to")
                        + " FROM {ds}.items ORDER BY id, _sluice_valid_from"),
                "an unchanged version leaves a changed name alone; a missing record is retired");
        assertEquals(0, fixture.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + fixture.dataset
                + "' AND column_name = '_sluice_row_hash'"));

        Run misnamed = fixture.run("merge_strategy: scd2, primary_key: [id], scd2: { row_version_column: updated }",
                "{\"id\": 2, \"updated_at\": 3, \"name\": \"two v3\"}");
        assertEquals(RunState.FAILED, misnamed.state());
        assertTrue(misnamed.error().contains("table items has no row version column 'updated'"), misnamed.error());
    }

    @Test
    void aResumedScd2LoadRetiresAtTheBoundaryOfItsOwnLoad() throws Exception {
        Fixture fixture = merging("scd2_resumed");
        String options = "merge_strategy: scd2, primary_key: [id], columns: [ {name: name, nullable: false} ]";
        fixture.completed(options, "{\"id\": 1, \"name\": \"one\", \"tags\": [\"a\"]}", "{\"id\": 2, \"name\": \"two\"}");

        Instant beforeSecond = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Run failed = fixture.run(options, "{\"id\": 1, \"name\": \"one v2\", \"tags\": [\"b\"]}", "{\"id\": 3}");
        Instant afterSecond = Instant.now();
        assertEquals(RunState.FAILED, failed.state(), "3 has no name, which the table does not allow");
        assertEquals(2, fixture.count("SELECT count(*) FROM {ds}.items"));

        fixture.execute("ALTER TABLE {ds}.items ALTER COLUMN name DROP NOT NULL");
        fixture.completed(options, "{\"id\": 1, \"name\": \"one v2\", \"tags\": [\"b\"]}", "{\"id\": 3}", "{\"id\": 4, \"name\": \"four\"}");

        String active = "CASE WHEN _sluice_valid_to IS NULL THEN 'active' ELSE 'retired' END";
        assertEquals(List.of(List.of("1", "one", "retired"), List.of("1", "one v2", "active"), List.of("2", "two", "retired"),
                        List.of("3", "null", "active"), List.of("4", "four", "active")),
                fixture.query("SELECT id, name, " + active + " FROM {ds}.items ORDER BY id, _sluice_valid_from"));
        assertEquals(List.of(List.of("1", "a"), List.of("1", "b")), fixture.nested("items__tags", "i.id", "n.value"));
        assertEquals(4, fixture.count("SELECT count(*) FROM {ds}.items WHERE _sluice_valid_to = (SELECT _sluice_valid_from FROM {ds}.items"
                + " WHERE name = 'one v2') OR _sluice_valid_from = (SELECT _sluice_valid_from FROM {ds}.items WHERE name = 'one v2')"),
                "the resumed load retired 1 and 2 and added 1 and 3 at one instant");
        long boundary = Long.parseLong(fixture.query("SELECT CAST(extract(epoch FROM _sluice_valid_from) * 1000000 AS BIGINT)"
                + " FROM {ds}.items WHERE name = 'one v2'").getFirst().getFirst());
        assertTrue(boundary >= ChronoUnit.MICROS.between(Instant.EPOCH, beforeSecond) - 1
                        && boundary <= ChronoUnit.MICROS.between(Instant.EPOCH, afterSecond),
                "the boundary is the time of the load that failed, not of its resumption");
        assertEquals(3, fixture.count("SELECT count(*) FROM {ds}._sluice_loads"));
    }

    @Test
    void itDeclaresTheCapabilitiesOfItsKind() throws Exception {
        Fixture fixture = new Fixture("capabilities");
        assertEquals(fixture.spec("").destination().capabilities(), fixture.open().capabilities(),
                "the destination a run opens answers what its kind declares, which the spec was checked against");
    }

    @ParameterizedTest
    @EnumSource(WriteDisposition.class)
    void eachDeclaredWriteDispositionLoadsAndTheOthersAreRefused(WriteDisposition disposition) throws Exception {
        Fixture fixture = new Fixture("disposition_" + disposition.name().toLowerCase(Locale.ROOT));
        String options = "write_disposition: " + disposition.name().toLowerCase(Locale.ROOT) + ", primary_key: [id]";
        if (!declared().writeDispositions().contains(disposition)) {
            assertEquals(List.of("source.filesystem.resources[0].write_disposition"),
                    fixture.refused(options).stream().map(Problem::field).toList());
            return;
        }
        fixture.completed(options, "{\"id\": 1, \"name\": \"a\"}", "{\"id\": 2, \"name\": \"b\"}");
        fixture.completed(options, "{\"id\": 2, \"name\": \"b2\"}", "{\"id\": 3, \"name\": \"c\"}");
        List<List<String>> expected = switch (disposition) {
            case APPEND -> List.of(List.of("1", "a"), List.of("2", "b"), List.of("2", "b2"), List.of("3", "c"));
            case REPLACE -> List.of(List.of("2", "b2"), List.of("3", "c"));
            case MERGE -> List.of(List.of("1", "a"), List.of("2", "b2"), List.of("3", "c"));
        };
        assertEquals(expected, fixture.query("SELECT id, name FROM {ds}.items ORDER BY id, name"));
    }

    @ParameterizedTest
    @EnumSource(DestinationCapabilities.MergeKind.class)
    void eachDeclaredMergeStrategyMergesAndTheOthersAreRefused(DestinationCapabilities.MergeKind strategy) throws Exception {
        Fixture fixture = merging("kind_" + strategy.name().toLowerCase(Locale.ROOT));
        String options = "merge_strategy: " + strategy.name().toLowerCase(Locale.ROOT) + ", primary_key: [id]";
        if (!declared().mergeStrategies().contains(strategy)) {
            assertEquals(List.of("source.filesystem.resources[0].merge_strategy"),
                    fixture.refused(options).stream().map(Problem::field).toList());
            return;
        }
        fixture.completed(options, "{\"id\": 1, \"name\": \"a\"}", "{\"id\": 2, \"name\": \"b\"}");
        fixture.completed(options, "{\"id\": 1, \"name\": \"a\"}", "{\"id\": 2, \"name\": \"b2\"}", "{\"id\": 3, \"name\": \"c\"}");
        String current = switch (strategy) {
            case DELETE_INSERT, UPSERT -> "";
            case SCD2 -> " WHERE _sluice_valid_to IS NULL";
        };
        assertEquals(List.of(List.of("1", "a"), List.of("2", "b2"), List.of("3", "c")),
                fixture.query("SELECT id, name FROM {ds}.items" + current + " ORDER BY id"));
    }

    @ParameterizedTest
    @EnumSource(ReplaceStrategy.class)
    void eachReplaceRunLeavesExactlyItsOwnRows(ReplaceStrategy strategy) throws Exception {
        Fixture fixture = new Fixture("replace_" + strategy.name().toLowerCase(Locale.ROOT));
        String options = "write_disposition: replace, replace_strategy: " + strategy + ", columns: [ { name: id, nullable: false } ]";
        if (!declared().replaceStrategies().contains(strategy)) {
            assertEquals(List.of("source.filesystem.resources[0].replace_strategy"),
                    fixture.refused(options).stream().map(Problem::field).toList());
            return;
        }
        fixture.completed(options, "{\"id\": 1, \"name\": \"one\", \"tags\": [\"a\", \"b\"]}", "{\"id\": 2, \"name\": \"two\", \"tags\": [\"c\"]}");
        fixture.completed(options, "{\"id\": 3, \"name\": \"three\", \"tags\": [\"d\"], \"extra\": true}");
        assertEquals(List.of(List.of("3", "three", "1")), fixture.query("SELECT id, name, CAST(extra AS INTEGER) FROM {ds}.items"));
        assertEquals(List.of(List.of("3", "d")), fixture.query("SELECT i.id, t.value FROM {ds}.items__tags t JOIN {ds}.items i"
                + " ON t._sluice_parent_id = i._sluice_id"));

        fixture.completed(options, "{\"id\": 4, \"name\": \"four\"}", "{\"id\": 5, \"name\": \"five\"}");
        assertEquals(List.of(List.of("4", "four", "null"), List.of("5", "five", "null")),
                fixture.query("SELECT id, name, CAST(extra AS INTEGER) FROM {ds}.items ORDER BY id"),
                "a column of an earlier run stays in the table");
        assertEquals(List.of(List.of("0")), fixture.query("SELECT count(*) FROM {ds}.items__tags"),
                "a nested table the last run has no rows for is emptied too");
        assertEquals(List.of(List.of("3")), fixture.query("SELECT count(*) FROM {ds}._sluice_loads"));
        assertEquals(List.of(List.of("NO")), fixture.query("SELECT is_nullable FROM information_schema.columns WHERE table_schema = '"
                + fixture.dataset + "' AND table_name = 'items' AND column_name = 'id'"), "a declared NOT NULL survives the replace");
    }

    @Test
    void theSchemaAndStateARunStartsFromAreReadTogetherAsEachIsReadAlone() throws Exception {
        Fixture fixture = new Fixture("stored_pipeline", "incremental: { cursor_path: id, initial_value: 0 }, ");
        String pipeline = fixture.dataset.replace('_', '-');
        assertEquals(StoredPipeline.empty(pipeline), fixture.open().storedPipeline(pipeline, fixture.dataset), "nothing loaded yet");
        fixture.execute("CREATE SCHEMA IF NOT EXISTS {ds}");
        assertEquals(StoredPipeline.empty(pipeline), fixture.open().storedPipeline(pipeline, fixture.dataset), "a dataset with no tables");

        fixture.completed("", "{\"id\": 1, \"name\": \"a\"}", "{\"id\": 2, \"name\": \"b\"}");
        Destination destination = fixture.open();
        StoredPipeline stored = destination.storedPipeline(pipeline, fixture.dataset);
        assertEquals(destination.storedSchema(pipeline, fixture.dataset), stored.schema());
        assertEquals(destination.storedState(pipeline, fixture.dataset), stored.state());
        assertTrue(stored.schema().table("items").isPresent(), stored.schema().toString());
        assertNotEquals(PipelineState.EMPTY, stored.state(), "the incremental cursor is kept: " + stored.state());

        fixture.execute("DROP TABLE {ds}._sluice_pipeline_state");
        assertEquals(new StoredPipeline(stored.schema(), PipelineState.EMPTY), destination.storedPipeline(pipeline, fixture.dataset),
                "a dataset without its state table (made before pipeline state was kept)");
    }

    @Test
    void namesLongerThanItsLimitAreShortenedToItAndLongerDatasetsAreRefused() throws Exception {
        int limit = declared().maxIdentifierLength();
        Fixture fixture = new Fixture("long_names");
        String field = "a_field_whose_name_goes_on_".repeat(limit / 27 + 1) + "and_on";
        String list = "a_list_whose_name_goes_on_".repeat(limit / 26 + 1) + "and_on";
        String row = "{\"id\": %d, \"" + field + "\": \"x\", \"" + list + "\": [1]}";
        fixture.completed("", row.formatted(1));
        fixture.completed("", row.formatted(2));

        List<List<String>> names = fixture.query("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = '"
                + fixture.dataset + "' AND table_name NOT IN ('_sluice_loads', '_sluice_version', '_sluice_pipeline_state')");
        assertTrue(names.stream().flatMap(List::stream).allMatch(name -> name.getBytes(StandardCharsets.UTF_8).length <= limit),
                names.toString());
        Schema stored = fixture.open().storedSchema(fixture.dataset.replace('_', '-'), fixture.dataset);
        assertTrue(stored.tables().stream().anyMatch(table -> table.name().startsWith("items__a_list_whose_name")),
                "the nested table is named after its list: " + stored.tables());
        List<List<String>> storedNames = stored.tables().stream()
                .flatMap(table -> table.columns().stream().map(column -> List.of(table.name(), column.name()))).toList();
        assertTrue(names.containsAll(storedNames), "the tables and columns are named as the stored schema names them: " + names
                + " has not all of " + storedNames);
        String shortened = stored.table("items").orElseThrow().columns().stream().map(Column::name)
                .filter(name -> name.startsWith("a_field")).findFirst().orElseThrow();
        assertEquals(2, fixture.count("SELECT count(*) FROM {ds}.items WHERE \"" + shortened + "\" = 'x'"));

        String tooLong = "d".repeat(limit + 1);
        List<Problem> problems = PipelineSpecs.problems(SpecReader.parse(("name: too-long\nsource: { filesystem: { resources: [ { name: a,"
                + " glob: \"*.csv\" } ] } }\ndestination: %s\n").formatted(destination(tooLong)), ""));
        assertEquals(List.of("destination.dataset"), problems.stream().map(Problem::field).toList(), problems.toString());
    }

    @Test
    void everyTypeItStoresReadsBackAsItself() throws Exception {
        Fixture fixture = new Fixture("types");
        Map<DataType, String> values = new LinkedHashMap<>();
        for (DataType type : declared().dataTypes().stream().sorted().toList()) {
            values.put(type, switch (type) {
                case BOOL -> "true";
                case BIGINT -> "7";
                case DOUBLE -> "0.5";
                case DECIMAL -> "9.99";
                case TEXT -> "\"text\"";
                case TIMESTAMP -> "\"2024-05-01T10:00:00Z\"";
                case DATE -> "\"2024-05-01\"";
                case TIME -> "\"10:15:00\"";
                case JSON -> "{\"a\": [1, 2]}";
                case BINARY -> "\"AQID/w==\"";
            });
        }
        String columns = values.keySet().stream().map(type -> "{ name: " + column(type) + ", data_type: " + type
                + (type == DataType.DECIMAL ? ", precision: 10, scale: 2" : "") + " }").collect(Collectors.joining(", "));
        String row = values.entrySet().stream().map(value -> "\"" + column(value.getKey()) + "\": " + value.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
        fixture.completed("max_nesting_depth: 0, columns: [ " + columns + " ]", row);

        Destination destination = fixture.open();
        TableSchema items = destination.storedSchema(fixture.dataset.replace('_', '-'), fixture.dataset).table("items").orElseThrow();
        for (DataType type : values.keySet()) {
            assertEquals(type, items.column(column(type)).orElseThrow().type(), "the stored schema's type of " + column(type));
        }
        if (destination instanceof SqlDestination sql) {
            Map<String, DataType> catalog = sql.connections().read(connection -> sql.tables().columns(connection,
                    SqlConnections.currentCatalog(connection), fixture.dataset, "items"), Map.of());
            values.keySet().forEach(type -> assertEquals(type, catalog.get(column(type)), "the catalog's type of " + column(type)));
        }
        TablePreview preview = destination.preview(fixture.dataset, "items", 1);
        for (DataType type : values.keySet()) {
            assertTrue(preview.rows().getFirst().get(preview.columns().indexOf(column(type))) != null, column(type) + " has its value");
        }
    }

    private static String column(DataType type) {
        return "c_" + type.name().toLowerCase(Locale.ROOT);
    }

    @Test
    void aFailedCommitLeavesTheDatasetAsItWas() throws Exception {
        assumeTrue(declared().transactionalDdl(), "only a destination with transactional DDL can take back a half-made commit");
        Fixture fixture = new Fixture("failed_commit");
        String options = "columns: [ {name: name, nullable: false} ]";
        fixture.completed(options, "{\"id\": 1, \"name\": \"one\"}");
        List<List<String>> tables = fixture.query("SELECT table_name, column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = '" + fixture.dataset + "' ORDER BY table_name, column_name");

        Run failed = fixture.run(options, "{\"id\": 2.5, \"extra\": true, \"tags\": [\"x\"]}");
        assertEquals(RunState.FAILED, failed.state(), "2.5 has no name, which the table does not allow");
        assertEquals(tables, fixture.query("SELECT table_name, column_name, data_type FROM information_schema.columns"
                        + " WHERE table_schema = '" + fixture.dataset + "' ORDER BY table_name, column_name"),
                "no table made, no column added or widened by the commit that failed");
        assertEquals(List.of(List.of("1", "one")), fixture.query("SELECT id, name FROM {ds}.items"));

        long staged = fixture.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = '{ds}_staging'");
        switch (declared().staging()) {
            case IN_PLACE -> assertEquals(0, staged, "the package's own files are the staging area: nothing is copied first");
            case IN_COMMIT -> assertEquals(0, staged, "the commit copies the jobs itself: nothing is staged before it");
        }
    }
}
