package io.sluice.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalog.RunSummary;
import io.sluice.pipeline.CursorValue;
import io.sluice.pipeline.IncrementalSpec.LastValueFunction;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.runs.PipelineRuns;
import io.sluice.testing.BlockedCommits;
import io.sluice.testing.DuckDbQueries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The suite every source type must pass, through the {@link Source} SPI and through whole runs into a real DuckDB file:
 * rows land exactly; a second incremental run asks the source for the new rows only (the window pushed down) and loads
 * them once; the source state and cursor are committed with the load, so a run whose commit fails loads its rows later,
 * once; a source that cannot be read fails the run naming the URL, table or file; a sink that stops the run (a cancel)
 * or wants no more items stops the source at once.
 *
 * <p>A source type joins with a subclass that says how its spec reads one resource {@code items} of rows
 * {@code {id, name}} ({@code id} a number, the incremental cursor), how rows are added to what it reads, and how it is
 * broken: see {@code FilesystemConformanceTest}, {@code RestApiConformanceTest} and the SQL databases' ({@code
 * PostgresSourceConformanceTest} and its siblings).
 */
public abstract class SourceConformance {
    private final Path data = temporary();

    /**
     * The mapping under {@code source:} in YAML, one resource named {@code items}; incremental on {@code id} (MAX, no
     * initial value) with append when {@code incremental}, else replace.
     */
    protected abstract String source(boolean incremental);

    /** Makes rows {@code {id, name}} readable by the source, after those added before. */
    protected abstract void add(List<Map<String, Object>> rows);

    /**
     * Makes the source unreadable (its table dropped, its URL answering an error, a corrupt file).
     *
     * @return what the run's error must name: the URL, the table or the file
     */
    protected abstract String breakSource();

    /** The secrets the source spec names, by name. */
    protected Map<String, String> secrets() {
        return Map.of();
    }

    @Test
    void rowsLandExactly() {
        add(rows(1, 3));
        RunSummary first = run(false);
        assertEquals(3, first.rows());
        assertEquals(expected(1, 3), landed());

        add(rows(4, 5));
        run(false);
        assertEquals(expected(1, 5), landed(), "a replacing resource holds what the source holds, each row once");
    }

    @Test
    void aSecondIncrementalRunReadsAndLoadsOnlyTheNewRows() {
        add(rows(1, 3));
        SourceState state = new SourceState(Optional.empty());
        assertEquals(List.of(1L, 2L, 3L), ids(extract(opened(true), Optional.empty(), state)));

        add(rows(4, 5));
        // A source instance serves one run (it may list its files once): the next run opens its own.
        List<Long> second = ids(extract(opened(true), Optional.of(from(3)), new SourceState(state.changed())));
        assertTrue(second.containsAll(List.of(4L, 5L)) && second.stream().allMatch(id -> id >= 3),
                "the window from 3 pushed down to the source: " + second);

        add(rows(6, 7));
        assertEquals(7, run(true).rows());
        add(rows(8, 8));
        RunSummary next = run(true);
        assertEquals(1, next.rows(), "only the new row loads: " + next.tables());
        assertEquals(expected(1, 8), landed());
    }

    @Test
    void theStateIsCommittedWithTheLoadSoAFailedCommitLoadsItsRowsLaterOnce() {
        add(rows(1, 3));
        run(true);
        add(rows(4, 5));
        BlockedCommits.block(database());
        assertThrows(RuntimeException.class, () -> run(true));
        BlockedCommits.unblock(database());
        assertEquals(expected(1, 3), landed(), "nothing of the failed commit landed");

        run(true);
        assertEquals(expected(1, 5), landed(), "the pending rows landed once, and the source was not read again from 1");
    }

    @Test
    void aSourceThatCannotBeReadFailsTheRunNamingWhereItReads() {
        add(rows(1, 1));
        String where = breakSource();
        RuntimeException failure = assertThrows(RuntimeException.class, () -> run(false));
        String messages = messages(failure);
        assertTrue(messages.contains(where), "expected '" + where + "' in: " + messages);
    }

    @Test
    void aSinkThatStopsTheRunStopsTheSourceAtOnce() {
        add(rows(1, 3));
        RuntimeException cancelled = new IllegalStateException("the run was cancelled");
        List<Map<String, Object>> items = new ArrayList<>();
        Source source = opened(false);
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> source.extract("items", Optional.empty(),
                new SourceState(Optional.empty()), sink(items, item -> {
                    throw cancelled;
                })));
        assertSame(cancelled, thrown, "the sink's exception comes out as it is, not wrapped");
        assertEquals(1, items.size());

        items.clear();
        source.extract("items", Optional.empty(), new SourceState(Optional.empty()), sink(items, item -> false));
        assertEquals(1, items.size(), "a sink that wants no more items gets no more");
    }

    /** Rows {@code from} to {@code to}, inclusive. */
    protected static List<Map<String, Object>> rows(int from, int to) {
        return IntStream.rangeClosed(from, to).<Map<String, Object>>mapToObj(id -> Map.of("id", id, "name", "item " + id)).toList();
    }

    /** A directory of the test's own. */
    protected Path data() {
        return data;
    }

    private RunSummary run(boolean incremental) {
        return PipelineRuns.run(spec(incremental), data, secrets());
    }

    private PipelineSpec spec(boolean incremental) {
        String yaml = "name: conformance\nsource:\n" + source(incremental).indent(2)
                + "destination: { duckdb: { path: \"" + database() + "\" }, dataset: raw }\n";
        return PipelineSpecs.toSpec(SpecReader.parse(yaml, "conformance"), "conformance");
    }

    private Source opened(boolean incremental) {
        PipelineSpec spec = spec(incremental);
        Source source = Sources.open(spec.source(), name -> secrets().get(name), RequestListener.NONE);
        source.resolve(spec.source().resources());
        return source;
    }

    private static List<Map<String, Object>> extract(Source source, Optional<IncrementalWindow> window, SourceState state) {
        List<Map<String, Object>> items = new ArrayList<>();
        source.extract("items", window, state, sink(items, item -> true));
        return items;
    }

    private static IncrementalWindow from(long start) {
        return new IncrementalWindow(List.of("id"), Optional.of(new CursorValue.Number(BigDecimal.valueOf(start))), Optional.empty(),
                LastValueFunction.MAX);
    }

    private interface Answer {
        boolean item(Map<String, Object> item);
    }

    private static ItemSink sink(List<Map<String, Object>> items, Answer answer) {
        return new ItemSink() {
            @Override
            public boolean item(Map<String, Object> item, Supplier<String> origin) {
                items.add(item);
                return answer.item(item);
            }

            @Override
            public void rejected(Supplier<String> origin, String reason) {
                throw new AssertionError("rejected " + origin.get() + ": " + reason);
            }

            @Override
            public void bytesRead(long bytes) {
            }
        };
    }

    private static List<Long> ids(List<Map<String, Object>> items) {
        return items.stream().map(item -> ((Number) item.get("id")).longValue()).toList();
    }

    private Path database() {
        return data.resolve("warehouse.duckdb");
    }

    private List<List<String>> landed() {
        return DuckDbQueries.rows(database(), "SELECT id, name FROM raw.items ORDER BY id");
    }

    private static List<List<String>> expected(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(id -> List.of(String.valueOf(id), "item " + id)).toList();
    }

    private static String messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.add(String.valueOf(cause.getMessage()));
        }
        return String.join(" / ", messages);
    }

    private static Path temporary() {
        try {
            return Files.createTempDirectory("source-conformance");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
