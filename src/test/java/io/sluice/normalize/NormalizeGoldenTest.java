package io.sluice.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.RunSummary;
import io.sluice.catalog.Trigger;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.runs.RunEvent;
import io.sluice.runs.RunExecutor;
import io.sluice.runs.SluiceConfig;
import io.sluice.schema.DataType;
import io.sluice.schema.SchemaChange;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.EndedRun;
import io.sluice.testing.FreshDataDirectory;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Golden cases for the normalize rules, each loaded into a real DuckDB file and checked by querying it.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
class NormalizeGoldenTest {
    private static final AtomicInteger PIPELINES = new AtomicInteger();

    @Inject
    RunExecutor executor;

    @Inject
    SluiceConfig config;

    /** A pipeline over one JSONL file; {@code options} are extra resource keys in YAML flow style. */
    private final class Fixture {
        final String name = "golden-" + PIPELINES.incrementAndGet();
        final Path directory;
        final String options;

        Fixture(String options) throws IOException {
            this.directory = Files.createTempDirectory(name);
            this.options = options;
        }

        Loaded run(String... lines) throws IOException, InterruptedException {
            Files.writeString(directory.resolve("items.jsonl"), String.join("\n", lines) + "\n");
            var spec = PipelineSpecs.toSpec(SpecReader.parse("""
                    name: %s
                    source:
                      filesystem:
                        base_path: "%s"
                        resources:
                          - { name: items, glob: "*.jsonl"%s }
                    destination:
                      duckdb: { path: %s.duckdb }
                      dataset: raw
                    """.formatted(name, directory, options.isEmpty() ? "" : ", " + options, name), name), name);
            EndedRun ended = EndedRun.watch(executor, executor.start(spec, "", Trigger.CLI));
            return new Loaded(ended.run(), ended.events(), config.dataDir().resolve(name + ".duckdb"));
        }
    }

    private record Loaded(Run run, List<RunEvent> events, Path database) {
        List<List<String>> query(String sql) {
            return DuckDbQueries.rows(database, sql);
        }

        List<List<String>> columns(String table) {
            return query("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'raw'"
                    + " AND table_name = '" + table + "' AND column_name NOT LIKE '\\_sluice\\_%' ESCAPE '\\' ORDER BY ordinal_position");
        }

        List<SchemaChange> changes() {
            return events.stream().filter(event -> event instanceof RunEvent.SchemaChanged)
                    .map(event -> ((RunEvent.SchemaChanged) event).change()).toList();
        }

        RunSummary.TableRows counts(String table) {
            return run.summary().orElseThrow().tables().stream().filter(rows -> rows.table().equals(table)).findFirst().orElseThrow();
        }

        List<String> warnings() {
            return events.stream().filter(event -> event instanceof RunEvent.LogLine line && line.level() == RunEvent.LogLine.Level.WARN)
                    .map(event -> ((RunEvent.LogLine) event).message()).toList();
        }
    }

    @Test
    void objectsFlattenAndListsBecomeNestedTablesLinkedByIds() throws Exception {
        Loaded loaded = new Fixture("").run(
                "{\"id\": 1, \"customer\": {\"name\": \"Ann\", \"address\": {\"city\": \"Kraków\"}},"
                        + " \"orders\": [{\"sku\": \"a\", \"items\": [{\"qty\": 1}, {\"qty\": 2}]}, {\"sku\": \"b\", \"items\": []}],"
                        + " \"tags\": [\"x\", \"y\"], \"empty\": [], \"nothing\": null}",
                "{\"id\": 2, \"orders\": [{\"sku\": \"c\"}], \"tags\": [\"z\"]}");
        assertEquals(RunState.COMPLETED, loaded.run().state(), loaded.run().error());
        assertEquals(List.of(List.of("id", "BIGINT"), List.of("customer__name", "VARCHAR"),
                List.of("customer__address__city", "VARCHAR")), loaded.columns("items"));
        assertEquals(List.of(List.of("sku", "VARCHAR")), loaded.columns("items__orders"));
        assertEquals(List.of(List.of("qty", "BIGINT")), loaded.columns("items__orders__items"));
        assertEquals(List.of(List.of("value", "VARCHAR")), loaded.columns("items__tags"));
        assertEquals(List.of(), loaded.query("SELECT table_name FROM information_schema.tables WHERE table_name IN"
                + " ('items__empty', 'items__nothing')"), "empty lists and nulls make no table");

        assertEquals(List.of(List.of("1", "a", "0"), List.of("1", "b", "1"), List.of("2", "c", "0")), loaded.query(
                "SELECT i.id, o.sku, o._sluice_list_idx FROM raw.items i JOIN raw.items__orders o ON o._sluice_parent_id = i._sluice_id"
                        + " ORDER BY i.id, o._sluice_list_idx"));
        assertEquals(List.of(List.of("1", "a", "1"), List.of("1", "a", "2")), loaded.query(
                "SELECT i.id, o.sku, q.qty FROM raw.items__orders__items q JOIN raw.items__orders o ON q._sluice_parent_id = o._sluice_id"
                        + " JOIN raw.items i ON q._sluice_root_id = i._sluice_id ORDER BY q.qty"));
        assertEquals(List.of(List.of("1", "x"), List.of("1", "y"), List.of("2", "z")), loaded.query(
                "SELECT i.id, t.value FROM raw.items__tags t JOIN raw.items i ON t._sluice_parent_id = i._sluice_id ORDER BY t.value"));
        assertEquals(List.of(List.of("8", "8")), loaded.query("SELECT count(*), count(DISTINCT _sluice_id) FROM (SELECT _sluice_id"
                + " FROM raw.items UNION ALL SELECT _sluice_id FROM raw.items__orders UNION ALL SELECT _sluice_id FROM raw.items__tags)"),
                "every row has its own id");
        assertTrue(loaded.changes().contains(new SchemaChange.NewTable("items__orders__items", java.util.Optional.of("items__orders"))), "a new table nested twice: " + loaded.changes());
    }

    @Test
    void belowTheNestingLimitValuesStayJson() throws Exception {
        Loaded loaded = new Fixture("max_nesting_depth: 1").run(
                "{\"id\": 1, \"a\": {\"b\": {\"c\": 1}, \"d\": 2}, \"list\": [{\"deep\": [1, 2]}]}");
        assertEquals(List.of(List.of("id", "BIGINT"), List.of("a__b", "JSON"), List.of("a__d", "BIGINT")), loaded.columns("items"));
        assertEquals(List.of(List.of("deep", "JSON")), loaded.columns("items__list"));
        assertEquals(List.of(List.of("{\"c\":1}", "[1,2]")), loaded.query(
                "SELECT i.a__b, l.deep FROM raw.items i JOIN raw.items__list l ON l._sluice_parent_id = i._sluice_id"));

        Loaded flat = new Fixture("max_nesting_depth: 0").run("{\"id\": 1, \"a\": {\"b\": 1}, \"list\": [1, 2]}");
        assertEquals(List.of(List.of("id", "BIGINT"), List.of("a", "JSON"), List.of("list", "JSON")), flat.columns("items"));
    }

    @Test
    void namesAreSnakeCaseAndCollisionsKeepBothValues() throws Exception {
        String longName = "x".repeat(80);
        Loaded loaded = new Fixture("").run(
                "{\"User ID\": 1, \"user_id\": 2, \"Größe\": \"L\", \"2nd\": true, \"select\": \"s\", \"" + longName + "\": 5}");
        List<List<String>> columns = loaded.columns("items");
        assertEquals(6, columns.size(), columns.toString());
        assertEquals(List.of("user_id", "BIGINT"), columns.get(0));
        assertTrue(columns.get(1).getFirst().startsWith("user_id_"), columns.toString());
        assertEquals(List.of("grosse", "VARCHAR"), columns.get(2));
        assertEquals(List.of("_2nd", "BOOLEAN"), columns.get(3));
        assertEquals(List.of("select", "VARCHAR"), columns.get(4));
        assertTrue(columns.get(5).getFirst().length() <= 63 && columns.get(5).getFirst().startsWith("xxxx"), columns.toString());
        assertEquals(List.of(List.of("1", "2", "s")), loaded.query(
                "SELECT user_id, \"" + columns.get(1).getFirst() + "\", \"select\" FROM raw.items"));
    }

    @Test
    void typesAreInferredAndDetectionsAreConfigured() throws Exception {
        String line = "{\"b\": true, \"i\": 7, \"d\": 1.5, \"t\": \"hello\", \"ts\": \"2024-05-01T10:00:00Z\","
                + " \"day\": \"2024-05-01\", \"at\": \"10:30:00\", \"big\": 12345678901234567890, \"huge\": 123456789012345678901234567890123}";
        Loaded defaults = new Fixture("").run(line);
        assertEquals(List.of(List.of("b", "BOOLEAN"), List.of("i", "BIGINT"), List.of("d", "DOUBLE"), List.of("t", "VARCHAR"),
                List.of("ts", "TIMESTAMP WITH TIME ZONE"), List.of("day", "VARCHAR"), List.of("at", "VARCHAR"),
                List.of("big", "DECIMAL(38,9)"), List.of("huge", "VARCHAR")), defaults.columns("items"));
        assertEquals(List.of(List.of("12345678901234567890.000000000", "123456789012345678901234567890123")),
                defaults.query("SELECT big, huge FROM raw.items"), "integers too big for a decimal stay exact as text");

        Loaded detected = new Fixture("detect: [ISO_TIMESTAMP, ISO_DATE, ISO_TIME]").run(line);
        assertEquals(List.of("day", "DATE"), detected.columns("items").get(5));
        assertEquals(List.of("at", "TIME"), detected.columns("items").get(6));

        Loaded none = new Fixture("detect: [NO_DETECTION]").run(line);
        assertEquals(List.of("ts", "VARCHAR"), none.columns("items").get(4));
    }

    @Test
    void nullsCreateNoColumnUntilAValueArrives() throws Exception {
        Loaded loaded = new Fixture("").run("{\"id\": 1, \"later\": null}", "{\"id\": 2, \"later\": null}", "{\"id\": 3, \"later\": 4.5}");
        assertEquals(List.of(List.of("id", "BIGINT"), List.of("later", "DOUBLE")), loaded.columns("items"));
        assertEquals(List.of(List.of("1", "null"), List.of("3", "4.5")), loaded.query(
                "SELECT id, later FROM raw.items WHERE id <> 2 ORDER BY id"));
    }

    @Test
    void safePromotionsWidenAndEverythingElseGoesToAVariant() throws Exception {
        Loaded loaded = new Fixture("detect: [ISO_TIMESTAMP, ISO_DATE]").run(
                "{\"id\": 1, \"n\": 1, \"seen\": \"2024-05-01\", \"flag\": true}",
                "{\"id\": 2, \"n\": 2.5, \"seen\": \"2024-05-02T08:00:00Z\", \"flag\": \"maybe\"}",
                "{\"id\": 3, \"n\": \"lots\", \"seen\": \"2024-05-03\", \"flag\": false}");
        assertEquals(List.of(List.of("id", "BIGINT"), List.of("n", "DOUBLE"), List.of("seen", "TIMESTAMP WITH TIME ZONE"),
                List.of("flag", "BOOLEAN"), List.of("flag__v_text", "VARCHAR"), List.of("n__v_text", "VARCHAR")), loaded.columns("items"));
        assertEquals(List.of(
                        List.of("1.0", "null", "true", "null"),
                        List.of("2.5", "null", "null", "maybe"),
                        List.of("null", "lots", "false", "null")),
                loaded.query("SELECT n, n__v_text, flag, flag__v_text FROM raw.items ORDER BY id"));
        assertTrue(loaded.changes().contains(new SchemaChange.TypePromoted("items", "n", DataType.BIGINT, DataType.DOUBLE)), "n promoted to DOUBLE: " + loaded.changes());
        assertTrue(loaded.changes().contains(new SchemaChange.TypePromoted("items", "seen", DataType.DATE, DataType.TIMESTAMP)), "seen promoted to TIMESTAMP: " + loaded.changes());
        assertTrue(loaded.changes().contains(new SchemaChange.NewVariant("items", "n", "n__v_text", DataType.TEXT)), "a text variant of n: " + loaded.changes());
    }

    @Test
    void schemaEvolvesAcrossRunsAndEveryVersionIsStored() throws Exception {
        Fixture fixture = new Fixture("");
        Loaded first = fixture.run("{\"id\": 1, \"amount\": 10}");
        assertEquals(RunState.COMPLETED, first.run().state());
        Loaded second = fixture.run("{\"id\": 2, \"amount\": \"ten\", \"note\": \"new\"}");
        assertEquals(RunState.COMPLETED, second.run().state(), second.run().error());
        assertEquals(List.of(List.of("id", "BIGINT"), List.of("amount", "BIGINT"), List.of("amount__v_text", "VARCHAR"),
                List.of("note", "VARCHAR")), second.columns("items"));
        assertEquals(List.of(List.of("1", "10", "null"), List.of("2", "null", "ten")), second.query(
                "SELECT id, amount, amount__v_text FROM raw.items ORDER BY id"));
        assertEquals(List.of(List.of("1"), List.of("2")), second.query(
                "SELECT version FROM raw._sluice_version WHERE pipeline = '" + fixture.name + "' ORDER BY version"));
        Loaded third = fixture.run("{\"id\": 3, \"amount\": 30}");
        assertTrue(third.changes().isEmpty(), third.changes().toString());
        assertEquals(List.of(List.of("2")), third.query("SELECT max(version) FROM raw._sluice_version"),
                "an unchanged schema stores no new version");
    }

    @Test
    void declaredColumnsWinOverInference() throws Exception {
        Loaded loaded = new Fixture("table_name: Orders, primary_key: [id], columns: [ {name: zip, data_type: TEXT},"
                + " {name: price, data_type: DECIMAL, precision: 10, scale: 2}, {name: paid_at, data_type: TIMESTAMP},"
                + " {name: photo, data_type: BINARY} ]").run(
                "{\"id\": 1, \"zip\": 1234, \"price\": 9.99, \"paid_at\": \"2024-05-01 10:00:00\", \"photo\": \"AQID\"}",
                "{\"id\": 2, \"zip\": \"00501\", \"price\": 0.125}");
        assertEquals(RunState.COMPLETED, loaded.run().state(), loaded.run().error());
        assertEquals(List.of(List.of("zip", "VARCHAR"), List.of("price", "DECIMAL(10,2)"), List.of("paid_at", "TIMESTAMP WITH TIME ZONE"),
                List.of("photo", "BLOB"), List.of("id", "BIGINT"), List.of("price__v_double", "DOUBLE")), loaded.columns("orders"));
        assertEquals(List.of(List.of("1", "1234", "9.99", "null", "\\x01\\x02\\x03"), List.of("2", "00501", "null", "0.125", "null")),
                loaded.query("SELECT id, zip, price, price__v_double, photo FROM raw.orders ORDER BY id"),
                "0.125 does not fit DECIMAL(10,2) exactly, so it is kept beside it");
    }

    @Test
    void aDeclaredJsonColumnKeepsItsNestedValueWhole() throws Exception {
        Loaded loaded = new Fixture("columns: [ {name: payload, data_type: JSON} ]").run(
                "{\"id\": 1, \"payload\": {\"a\": [1, 2], \"b\": {\"c\": true}}, \"other\": {\"d\": 1}}");
        assertEquals(List.of(List.of("payload", "JSON"), List.of("id", "BIGINT"), List.of("other__d", "BIGINT")),
                loaded.columns("items"));
        assertEquals(List.of(List.of("{\"a\":[1,2],\"b\":{\"c\":true}}")), loaded.query("SELECT payload FROM raw.items"));
    }

    @Test
    void replaceSwapsTheRowsOfTheTableAndItsNestedTablesInOneLoad() throws Exception {
        Fixture fixture = new Fixture("write_disposition: replace");
        Loaded first = fixture.run("{\"id\": 1, \"tags\": [\"a\", \"b\"]}", "{\"id\": 2, \"tags\": [\"c\"]}");
        assertEquals(List.of(List.of("2", "3")), first.query(
                "SELECT (SELECT count(*) FROM raw.items), (SELECT count(*) FROM raw.items__tags)"));
        Loaded second = fixture.run("{\"id\": 3}");
        assertEquals(RunState.COMPLETED, second.run().state(), second.run().error());
        assertEquals(List.of(List.of("3")), second.query("SELECT id FROM raw.items"));
        assertEquals(List.of(List.of("0")), second.query("SELECT count(*) FROM raw.items__tags"),
                "a nested table this load has no rows for is emptied too");
        assertEquals(List.of(List.of("2")), second.query("SELECT count(*) FROM raw._sluice_loads"));

        Fixture appending = new Fixture("");
        appending.run("{\"id\": 1}");
        assertEquals(List.of(List.of("2")), appending.run("{\"id\": 2}").query("SELECT count(*) FROM raw.items"));
    }

    @Test
    void mergeReplacesRowsByPrimaryKeyAndTheirNestedRowsFollow() throws Exception {
        Fixture fixture = new Fixture("write_disposition: merge, primary_key: [id]");
        fixture.run("{\"id\": 1, \"name\": \"one\", \"tags\": [\"a\", \"b\"]}",
                "{\"id\": 2, \"name\": \"two\", \"tags\": [\"c\"]}");
        Loaded merged = fixture.run("{\"id\": 2, \"name\": \"two again\", \"tags\": [\"d\", \"e\"]}",
                "{\"id\": 3, \"name\": \"three\"}", "{\"id\": 3, \"name\": \"three twice\", \"tags\": [\"f\"]}");
        assertEquals(RunState.COMPLETED, merged.run().state(), merged.run().error());
        List<List<String>> rows = merged.query("SELECT id, name FROM raw.items ORDER BY id");
        assertEquals(List.of("1", "one"), rows.get(0));
        assertEquals(List.of("2", "two again"), rows.get(1));
        assertEquals(3, rows.size(), "one row per key: " + rows);
        assertEquals(List.of(List.of("1", "a"), List.of("1", "b"), List.of("2", "d"), List.of("2", "e")), merged.query(
                "SELECT i.id, t.value FROM raw.items__tags t JOIN raw.items i ON t._sluice_root_id = i._sluice_id"
                        + " WHERE i.id < 3 ORDER BY i.id, t.value"), "the replaced row's nested rows went with it");
        assertEquals(List.of(List.of("0")), merged.query("SELECT count(*) FROM raw.items__tags t WHERE NOT EXISTS"
                + " (SELECT 1 FROM raw.items i WHERE i._sluice_id = t._sluice_root_id)"), "no orphaned nested rows");
    }

    @Test
    void frozenColumnsFailTheRunNamingRecordAndPath() throws Exception {
        Fixture fixture = new Fixture("schema_contract: { columns: FREEZE }");
        assertEquals(RunState.COMPLETED, fixture.run("{\"id\": 1}").run().state());
        Loaded refused = fixture.run("{\"id\": 2}", "{\"id\": 3, \"surprise\": true}");
        assertEquals(RunState.FAILED, refused.run().state());
        assertTrue(refused.run().error().contains("items.jsonl:2: field 'surprise' needs a new column 'surprise'"), refused.run().error());
        assertEquals(List.of(List.of("1")), refused.query("SELECT count(*) FROM raw.items"), "nothing of the failed run loaded");
    }

    @Test
    void discardRowAndDiscardValueAreCounted() throws Exception {
        Fixture rows = new Fixture("schema_contract: { columns: DISCARD_ROW, data_type: DISCARD_ROW }");
        rows.run("{\"id\": 1, \"n\": 1}");
        Loaded discarded = rows.run("{\"id\": 2, \"n\": 2}", "{\"id\": 3, \"extra\": 1}", "{\"id\": 4, \"n\": \"text\"}");
        assertEquals(RunState.COMPLETED, discarded.run().state());
        assertEquals(new RunSummary.TableRows("items", 1, 2, 0, 0, 0), discarded.counts("items"));
        assertEquals(List.of(List.of("1"), List.of("2")), discarded.query("SELECT id FROM raw.items ORDER BY id"));
        assertTrue(discarded.warnings().stream().anyMatch(warning -> warning.contains("items.jsonl:2")), discarded.warnings().toString());

        Fixture values = new Fixture("schema_contract: { columns: DISCARD_VALUE, data_type: DISCARD_VALUE }");
        values.run("{\"id\": 1, \"n\": 1}");
        Loaded kept = values.run("{\"id\": 2, \"extra\": 1}", "{\"id\": 3, \"n\": \"text\"}");
        assertEquals(new RunSummary.TableRows("items", 2, 0, 2, 0, 0), kept.counts("items"));
        assertEquals(List.of(List.of("id", "BIGINT"), List.of("n", "BIGINT")), kept.columns("items"));
        assertEquals(List.of(List.of("2", "null"), List.of("3", "null")), kept.query("SELECT id, n FROM raw.items WHERE id > 1 ORDER BY id"));
    }

    @Test
    void deeplyNestedAndHugeValuesAreHandled() throws Exception {
        String tooDeep = "{\"id\": 1, \"deep\": " + "[".repeat(1500) + "]".repeat(1500) + "}";
        String huge = "{\"id\": 2, \"text\": \"" + "x".repeat(5_000_000) + "\"}";
        String deepButAllowed = "{\"id\": 3, \"deep\": " + "{\"a\": ".repeat(50) + "1" + "}".repeat(50) + "}";
        Loaded loaded = new Fixture("max_nesting_depth: 10").run(tooDeep, huge, deepButAllowed);
        assertEquals(RunState.COMPLETED, loaded.run().state(), loaded.run().error());
        assertEquals(new RunSummary.TableRows("items", 2, 0, 0, 1, 0), loaded.counts("items"));
        assertTrue(loaded.warnings().stream().anyMatch(warning -> warning.contains("items.jsonl:1: malformed JSON")
                && warning.contains("nesting depth")), loaded.warnings().toString());
        assertEquals(List.of(List.of("5000000")), loaded.query("SELECT length(text) FROM raw.items WHERE id = 2"));
        assertEquals(List.of(List.of("1")), loaded.query("SELECT count(*) FROM information_schema.columns WHERE table_name = 'items'"
                + " AND column_name LIKE 'deep\\_\\_a\\_\\_%' ESCAPE '\\' AND data_type = 'JSON'"),
                "past the nesting limit the rest of the value is one JSON column");
    }

    @Test
    void frozenTablesRefuseNestedTables() throws Exception {
        Fixture fixture = new Fixture("schema_contract: { tables: FREEZE }");
        Loaded refused = fixture.run("{\"id\": 1, \"list\": [1]}");
        assertEquals(RunState.FAILED, refused.run().state());
        assertTrue(refused.run().error().contains("new table 'items'"), refused.run().error());
        assertFalse(Files.exists(refused.database()) && !refused.query(
                "SELECT table_name FROM information_schema.tables WHERE table_name = 'items'").isEmpty(), "a frozen contract creates no table items");
    }
}
