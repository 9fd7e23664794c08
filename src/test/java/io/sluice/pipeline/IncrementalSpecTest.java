package io.sluice.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IncrementalSpecTest {
    private static List<Problem> problems(String incremental) {
        return problems(incremental, "append");
    }

    private static List<Problem> problems(String incremental, String disposition) {
        return PipelineSpecs.problems(SpecReader.parse("""
                name: orders
                source: { filesystem: { resources: [ { name: a, glob: "*.jsonl", write_disposition: %s, incremental: %s } ] } }
                destination: { duckdb: { path: x.duckdb } }
                """.formatted(disposition, incremental), ""));
    }

    @Test
    void aFullIncrementalMapsToTypedValues() {
        PipelineSpec spec = PipelineSpecs.toSpec(SpecReader.parse("""
                name: orders
                source: { filesystem: { resources: [ { name: a, glob: "*.jsonl", incremental: { cursor_path: meta.updated,
                          initial_value: "2024-01-01T00:00:00+01:00", end_value: "2024-02-01", lag: 1h, last_value_function: max,
                          row_order: asc } } ] } }
                destination: { duckdb: { path: x.duckdb } }
                """, ""), "");
        assertEquals(new IncrementalSpec(List.of("meta", "updated"),
                        Optional.of(new CursorValue.Timestamp(Instant.parse("2023-12-31T23:00:00Z"))),
                        Optional.of(new CursorValue.Date(LocalDate.parse("2024-02-01"))),
                        Optional.of(new Lag.Span(Duration.ofHours(1))), IncrementalSpec.LastValueFunction.MAX,
                        Optional.of(IncrementalSpec.RowOrder.ASC)),
                spec.source().resources().getFirst().incremental().orElseThrow());
        assertEquals(Optional.empty(), PipelineSpecs.toSpec(SpecReader.parse("""
                name: orders
                source: { filesystem: { resources: [ { name: a, glob: "*.jsonl" } ] } }
                destination: { duckdb: { path: x.duckdb } }
                """, ""), "").source().resources().getFirst().incremental());
    }

    @Test
    void everyBadFieldIsReportedWithItsPath() {
        String at = "source.filesystem.resources[0].incremental";
        assertEquals(List.of(Problem.invalid(at + ".cursor_path", "required, e.g. updated_at or meta.updated"),
                        Problem.invalid(at + ".end_value", "needs initial_value: a backfill window runs from one to the other"),
                        Problem.invalid(at + ".lag", "'soon' is neither a number (for numeric cursors) nor a duration such as 1h or 2d"
                                + " (for timestamps and dates)")),
                problems("{ end_value: \"10\", lag: soon }"));
        assertEquals(List.of(at + ".cursor_path", at + ".end_value", at + ".lag"), fields(problems(
                "{ cursor_path: \"meta..updated\", initial_value: \"100\", end_value: \"2024-01-01\", lag: 1h }")));
        assertEquals(List.of(at + ".end_value"), fields(problems("{ cursor_path: id, initial_value: \"100\", end_value: \"50\" }")));
        assertEquals(List.of(at + ".end_value"), fields(problems(
                "{ cursor_path: id, initial_value: \"100\", end_value: \"150\", last_value_function: min }")));
        assertEquals(List.of(at + ".lag"), fields(problems("{ cursor_path: id, lag: \"-5\" }")));
        assertEquals(List.of(at + ".lag"), fields(problems("{ cursor_path: name, initial_value: abc, lag: \"5\" }")));
        assertEquals(List.of(at), fields(problems("{ cursor_path: id }", "replace")));
        assertEquals(List.of(), problems("{ cursor_path: day, initial_value: \"2024-01-01\", end_value: \"2024-01-05T12:00:00Z\","
                + " lag: 2d }"), "a date and a timestamp compare; a date takes a duration lag");
        assertEquals(List.of(), problems("{ cursor_path: id, initial_value: \"100\", end_value: \"50\", last_value_function: min,"
                + " lag: \"5\" }"), "min counts down: an end below the start is right");
    }

    @Test
    void valuesCompareByTheirType() {
        assertTrue(CursorValue.parse("10").compareTo(CursorValue.parse("9")) > 0, "numbers compare as numbers");
        assertTrue(CursorValue.parse("10").compareTo(CursorValue.of(9.5).orElseThrow()) > 0, "10 is above 9.5");
        assertEquals(CursorValue.of(140_000L).orElseThrow(), CursorValue.parse("140000.0"));
        assertEquals("140000", CursorValue.parse("1.4E+5").toString());
        assertTrue(CursorValue.parse("b").compareTo(CursorValue.parse("abc")) > 0, "text compares as text");
        assertEquals(0, CursorValue.parse("2024-05-01T12:00:00+02:00").compareTo(CursorValue.parse("2024-05-01 10:00:00Z")),
                "timestamps compare as instants, whatever their offset");
        assertEquals(0, CursorValue.parse("2024-05-01").compareTo(CursorValue.parse("2024-05-01T00:00:00")),
                "a date is its midnight UTC; a timestamp without offset is UTC");
        assertTrue(CursorValue.parse("2024-05-02").compareTo(CursorValue.parse("2024-05-01T23:59:59.999Z")) > 0, "a later date is above an earlier timestamp");
        assertThrows(IllegalArgumentException.class, () -> CursorValue.parse("10").compareTo(CursorValue.parse("abc")));
        assertEquals(new CursorValue.Text("2024-13-45"), CursorValue.parse("2024-13-45"), "not a date after all");
        assertEquals(Optional.empty(), CursorValue.of(true));
        assertEquals(Optional.empty(), CursorValue.of(Map.of("a", 1)));
    }

    @Test
    void lagsMoveValuesOfTheirKind() {
        assertEquals(new CursorValue.Number(new BigDecimal("95.5")), CursorValue.parse("100").shifted(Lag.parse("4.5"), -1));
        assertEquals(CursorValue.parse("2024-05-01T09:00:00Z"), CursorValue.parse("2024-05-01T10:00:00Z").shifted(Lag.parse("1h"), -1));
        assertEquals(CursorValue.parse("2024-04-29"), CursorValue.parse("2024-05-01").shifted(Lag.parse("25h"), -1),
                "a date moves by whole days, rounded up");
        assertEquals(CursorValue.parse("2024-05-02"), CursorValue.parse("2024-05-01").shifted(Lag.parse("1d"), 1));
        assertThrows(IllegalArgumentException.class, () -> CursorValue.parse("100").shifted(Lag.parse("1h"), -1));
        assertThrows(IllegalArgumentException.class, () -> CursorValue.parse("abc").shifted(Lag.parse("1"), -1));
    }

    @Test
    void statesRoundTripThroughJson() {
        PipelineState state = PipelineState.EMPTY
                .with("orders", Optional.of(new PipelineState.Cursor("updated_at", CursorValue.parse("2024-05-01T10:00:00.123456Z"),
                        List.of("k1", "k2"))))
                .with("days", Optional.of(new PipelineState.Cursor("day", CursorValue.parse("2024-05-01"), List.of())))
                .with("ids", Optional.of(new PipelineState.Cursor("id", CursorValue.parse("12345678901234567890.5"), List.of())))
                .with("names", Optional.of(new PipelineState.Cursor("name", CursorValue.parse("zed"), List.of())));
        assertEquals(state, PipelineStateCodec.fromJson(PipelineStateCodec.toJson(state)));
        assertEquals(PipelineState.EMPTY, state.with("orders", Optional.empty()).with("days", Optional.empty())
                .with("ids", Optional.empty()).with("names", Optional.empty()));
    }

    private static List<String> fields(List<Problem> problems) {
        return problems.stream().map(Problem::field).toList();
    }
}
