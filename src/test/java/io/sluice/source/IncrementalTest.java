package io.sluice.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.pipeline.CursorValue;
import io.sluice.pipeline.IncrementalSpec;
import io.sluice.pipeline.IncrementalSpec.LastValueFunction;
import io.sluice.pipeline.IncrementalSpec.RowOrder;
import io.sluice.pipeline.Lag;
import io.sluice.pipeline.PipelineState;
import io.sluice.testing.ListSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The incremental filter between a source and normalizing, against an in-memory source. */
class IncrementalTest {
    /** What reached normalizing. */
    static final class Collected implements ItemSink {
        final List<Object> ids = new ArrayList<>();
        final List<String> rejected = new ArrayList<>();

        @Override
        public boolean item(Map<String, Object> item, Supplier<String> origin) {
            ids.add(item.get("id"));
            return true;
        }

        @Override
        public void rejected(Supplier<String> origin, String reason) {
            rejected.add(origin.get() + ": " + reason);
        }

        @Override
        public void bytesRead(long bytes) {
        }
    }

    private static IncrementalSpec spec(String initial, String end, String lag, LastValueFunction function, RowOrder order) {
        return new IncrementalSpec(List.of("updated"), Optional.ofNullable(initial).map(CursorValue::parse),
                Optional.ofNullable(end).map(CursorValue::parse), Optional.ofNullable(lag).map(Lag::parse), function,
                Optional.ofNullable(order));
    }

    private static IncrementalSpec spec(String initial) {
        return spec(initial, null, null, LastValueFunction.MAX, null);
    }

    private static Map<String, Object> item(int id, Object updated) {
        return updated == null ? Map.of("id", id) : Map.of("id", id, "updated", updated);
    }

    private static Collected run(Incremental incremental, ListSource source) {
        Collected collected = new Collected();
        source.extract("items", Optional.of(incremental.window()), new SourceState(Optional.empty()),
                incremental.filter(collected));
        return collected;
    }

    private static PipelineState.Cursor cursor(String last, String... keysOfIds) {
        return new PipelineState.Cursor("updated", CursorValue.parse(last), List.of(keysOfIds));
    }

    @Test
    void theWindowStartsAtTheInitialValueInclusiveAndTheCursorMovesToTheLargestValue() {
        Incremental incremental = new Incremental(spec("10"), List.of("id"), Optional.empty());
        assertEquals(Optional.of(CursorValue.parse("10")), incremental.window().start());
        Collected collected = run(incremental, new ListSource("items", List.of(item(1, 9), item(2, 10), item(3, 12), item(4, 12), item(5, 11))));
        assertEquals(List.of(2, 3, 4, 5), collected.ids);
        assertEquals(1, incremental.filtered());
        PipelineState.Cursor next = incremental.cursor().orElseThrow();
        assertEquals(CursorValue.parse("12"), next.lastValue());
        assertEquals(2, next.boundaryKeys().size(), "the two items at the last value");
    }

    @Test
    void aStoredCursorStartsTheNextWindowAndItsBoundaryItemsAreNotLoadedTwice() {
        Incremental first = new Incremental(spec(null), List.of("id"), Optional.empty());
        run(first, new ListSource("items", List.of(item(1, 5), item(2, 7), item(3, 7))));
        PipelineState.Cursor stored = first.cursor().orElseThrow();

        Incremental second = new Incremental(spec(null), List.of("id"), Optional.of(stored));
        assertEquals(Optional.of(CursorValue.parse("7")), second.window().start());
        Collected collected = run(second, new ListSource("items", List.of(item(1, 5), item(2, 7), item(3, 7), item(4, 7), item(5, 8))));
        assertEquals(List.of(4, 5), collected.ids, "2 and 3 were loaded at 7; 4 is new at 7");
        assertEquals(3, second.filtered());
        assertEquals(2, second.duplicates());

        Incremental noPrimaryKey = new Incremental(spec(null), List.of(), Optional.empty());
        run(noPrimaryKey, new ListSource("items", List.of(item(1, 7))));
        Incremental again = new Incremental(spec(null), List.of(), noPrimaryKey.cursor());
        assertEquals(List.of(2), run(again, new ListSource("items", List.of(item(1, 7), item(2, 7)))).ids,
                "without a primary key the whole item identifies it");
        assertEquals(2, again.cursor().orElseThrow().boundaryKeys().size(), "boundary keys accumulate while the value stays");
    }

    @Test
    void aLagStartsEarlierButTheCursorNeverMovesBack() {
        Incremental incremental = new Incremental(spec(null, null, "3", LastValueFunction.MAX, null), List.of("id"),
                Optional.of(cursor("10")));
        assertEquals(Optional.of(CursorValue.parse("7")), incremental.window().start());
        assertEquals(List.of(2, 3), run(incremental, new ListSource("items", List.of(item(1, 6), item(2, 7), item(3, 9)))).ids);
        assertEquals(CursorValue.parse("10"), incremental.cursor().orElseThrow().lastValue());

        Incremental temporal = new Incremental(spec(null, null, "1h", LastValueFunction.MAX, null), List.of("id"),
                Optional.of(cursor("2024-05-01T10:00:00Z")));
        assertEquals(Optional.of(CursorValue.parse("2024-05-01T09:00:00Z")), temporal.window().start());
        SourceException mismatch = assertThrows(SourceException.class, () -> new Incremental(
                spec(null, null, "1h", LastValueFunction.MAX, null), List.of("id"), Optional.of(cursor("10"))));
        assertTrue(mismatch.getMessage().startsWith("incremental cursor 'updated': lag 1h does not apply to a number cursor (10)"),
                mismatch.getMessage());
    }

    @Test
    void aBackfillReadsItsWindowEndExclusiveAndLeavesTheStoredCursor() {
        Optional<PipelineState.Cursor> stored = Optional.of(cursor("100", "x"));
        Incremental backfill = new Incremental(spec("10", "20", null, LastValueFunction.MAX, null), List.of("id"), stored);
        assertEquals(Optional.of(CursorValue.parse("10")), backfill.window().start(), "from the initial value, not the cursor");
        assertEquals(List.of(2, 3), run(backfill, new ListSource("items", List.of(item(1, 9), item(2, 10), item(3, 19), item(4, 20),
                item(5, 150)))).ids);
        assertEquals(stored, backfill.cursor());
    }

    @Test
    void minMovesTheCursorDownwards() {
        Incremental incremental = new Incremental(spec("2024-05-10", "2024-05-01", null, LastValueFunction.MIN, null), List.of("id"),
                Optional.empty());
        assertEquals(List.of(2, 3), run(incremental, new ListSource("items", List.of(item(1, "2024-05-11"), item(2, "2024-05-10"),
                item(3, "2024-05-02"), item(4, "2024-05-01")))).ids);

        Incremental unbounded = new Incremental(spec("2024-05-10"), List.of("id"), Optional.empty());
        Incremental downwards = new Incremental(spec("2024-05-10", null, null, LastValueFunction.MIN, null), List.of("id"),
                Optional.empty());
        run(unbounded, new ListSource("items", List.of(item(1, "2024-05-03"), item(2, "2024-05-12"))));
        run(downwards, new ListSource("items", List.of(item(1, "2024-05-03"), item(2, "2024-05-12"))));
        assertEquals(CursorValue.parse("2024-05-03"), downwards.cursor().orElseThrow().lastValue());
        assertEquals(CursorValue.parse("2024-05-12"), unbounded.cursor().orElseThrow().lastValue());
    }

    @Test
    void aRowOrderStopsReadingWhereItemsLeaveTheWindow() {
        List<Map<String, Object>> ascending = List.of(item(1, 1), item(2, 5), item(3, 6), item(4, 9), item(5, 10));
        ListSource source = new ListSource("items", ascending);
        Incremental ordered = new Incremental(spec("5", "9", null, LastValueFunction.MAX, RowOrder.ASC), List.of("id"), Optional.empty());
        assertEquals(List.of(2, 3), run(ordered, source).ids);
        assertEquals(4, source.offered(), "item 4 is past the end: item 5 is never read");

        ListSource descending = new ListSource("items", ascending.reversed());
        Incremental backwards = new Incremental(spec("5", null, null, LastValueFunction.MAX, RowOrder.DESC), List.of("id"),
                Optional.empty());
        assertEquals(List.of(5, 4, 3, 2), run(backwards, descending).ids);
        assertEquals(5, descending.offered(), "item 1 is before the start and stops the reading, being the last anyway");

        ListSource unordered = new ListSource("items", ascending);
        run(new Incremental(spec("5", "9", null, LastValueFunction.MAX, null), List.of("id"), Optional.empty()), unordered);
        assertEquals(5, unordered.offered(), "without a row order every item is read");

        ListSource minimum = new ListSource("items", ascending);
        Incremental min = new Incremental(spec("6", null, null, LastValueFunction.MIN, RowOrder.ASC), List.of("id"), Optional.empty());
        assertEquals(List.of(1, 2, 3), run(min, minimum).ids);
        assertEquals(4, minimum.offered(), "ascending past a MIN window's start stops the reading");
    }

    @Test
    void anItemWithoutAUsableCursorIsRejectedByName() {
        Incremental incremental = new Incremental(spec("5"), List.of("id"), Optional.empty());
        Collected collected = run(incremental, new ListSource("items", List.of(item(1, null), item(2, true), item(3, "abc"), item(4, 6))));
        assertEquals(List.of(4), collected.ids);
        assertEquals(List.of("items:1: no incremental cursor value at 'updated'",
                "items:2: the incremental cursor 'updated' is a boolean, not a number, timestamp, date or text",
                "items:3: incremental cursor 'updated': text (abc) does not compare with a number (5)"), collected.rejected);
        assertEquals(0, incremental.filtered(), "rejected, not filtered");
    }

    @Test
    void aNestedCursorPathAndAChangedPathStartOver() {
        IncrementalSpec nested = new IncrementalSpec(List.of("meta", "updated"), Optional.empty(), Optional.empty(), Optional.empty(),
                LastValueFunction.MAX, Optional.empty());
        Incremental incremental = new Incremental(nested, List.of("id"), Optional.of(cursor("100")));
        assertEquals(Optional.empty(), incremental.window().start(), "the stored cursor followed another path");
        Collected collected = new Collected();
        new ListSource("items", List.of(Map.of("id", 1, "meta", Map.of("updated", 3)))).extract("items", Optional.of(incremental.window()),
                new SourceState(Optional.empty()), incremental.filter(collected));
        assertEquals(List.of(1), collected.ids);
        assertEquals(new PipelineState.Cursor("meta.updated", CursorValue.parse("3"), incremental.cursor().orElseThrow().boundaryKeys()),
                incremental.cursor().orElseThrow());
    }
}
