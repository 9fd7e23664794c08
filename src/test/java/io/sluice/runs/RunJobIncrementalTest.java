package io.sluice.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.catalog.CatalogTime;
import io.sluice.catalog.JdbcCatalogStore;
import io.sluice.catalog.Refresh;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.RunSummary;
import io.sluice.catalog.Trigger;
import io.sluice.load.ConnectionPools;
import io.sluice.load.Destinations;
import io.sluice.load.LoadPackages;
import io.sluice.pipeline.CursorValue;
import io.sluice.pipeline.IncrementalSpec;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.security.Secrets;
import io.sluice.source.IncrementalWindow;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FileDataSource;
import io.sluice.testing.ListSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A run job against a source that records the window it is offered, loading into a real DuckDB file. */
class RunJobIncrementalTest {
    @Test
    void theSourceIsOfferedTheStartComputedFromTheStoredCursor() throws Exception {
        Path data = Files.createTempDirectory("run-job");
        JdbcCatalogStore catalog = catalog(data);
        PipelineSpec spec = spec("""
                name: pushed
                source: { filesystem: { resources: [ { name: items, glob: "*.jsonl", primary_key: [id],
                          incremental: { cursor_path: id, initial_value: "3", lag: "2" } } ] } }
                destination: { duckdb: { path: pushed.duckdb }, dataset: raw }
                """);

        ListSource first = new ListSource("items", items(1, 10));
        assertEquals(8, run(spec, first, catalog, data).rows(), "3 to 10");
        assertEquals(List.of(Optional.of(new IncrementalWindow(List.of("id"), Optional.of(CursorValue.parse("3")), Optional.empty(),
                IncrementalSpec.LastValueFunction.MAX))), first.windows(), "a first run starts at the initial value");

        ListSource second = new ListSource("items", items(1, 12));
        RunSummary summary = run(spec, second, catalog, data);
        assertEquals(Optional.of(CursorValue.parse("8")), second.windows().getFirst().orElseThrow().start(),
                "the stored last value 10 less the lag of 2");
        assertEquals(4, summary.rows(), "8, 9, 11 and 12; 10 was loaded at the last value");
        assertEquals(List.of(List.of("12", "12", "10")), DuckDbQueries.rows(data.resolve("pushed.duckdb"),
                "SELECT max(id), count(*), count(DISTINCT id) FROM raw.items"), "appended: 8 and 9 again, within the lag");
    }

    @Test
    void whatASourceKeepsIsCommittedWithItsLoadAndForgottenByARefresh() throws Exception {
        Path data = Files.createTempDirectory("source-state");
        JdbcCatalogStore catalog = catalog(data);
        PipelineSpec spec = spec("""
                name: kept
                source: { filesystem: { resources: [ { name: items, glob: "*.jsonl" } ] } }
                destination: { duckdb: { path: kept.duckdb }, dataset: raw }
                """);
        run(spec, Optional.empty(), new ListSource("items", items(1, 2)), catalog, data);
        run(spec, Optional.empty(), new ListSource("items", items(1, 2)), catalog, data);
        assertEquals(2, extractions(spec, data), "each run reads what the last committed run left");
        assertEquals(List.of(List.of("2")), DuckDbQueries.rows(data.resolve("kept.duckdb"), "SELECT json_extract_string(state,"
                + " '$.sourceStates.items.extractions') FROM raw._sluice_pipeline_state ORDER BY version DESC LIMIT 1"));

        run(spec, Optional.of(new Refresh(Refresh.Mode.DROP_DATA, List.of())), new ListSource("items", items(1, 2)), catalog, data);
        assertEquals(1, extractions(spec, data), "a refresh of the resource forgets what its source kept");
    }

    private static JdbcCatalogStore catalog(Path data) {
        JdbcCatalogStore catalog = new JdbcCatalogStore(new FileDataSource(data.resolve("catalog.duckdb")));
        catalog.migrate();
        return catalog;
    }

    private static PipelineSpec spec(String yaml) {
        return PipelineSpecs.toSpec(SpecReader.parse(yaml, ""), "");
    }

    private static int extractions(PipelineSpec spec, Path data) {
        try (ConnectionPools pools = new ConnectionPools(1, Duration.ofMinutes(1))) {
            return new Destinations(data, Secrets.of(Map.of())::resolve, pools).open(spec.destination()).storedState(spec.name(), spec.dataset())
                    .sourceState("items").orElseThrow().path("extractions").asInt();
        }
    }

    private static List<Map<String, Object>> items(int from, int to) {
        return IntStream.rangeClosed(from, to).<Map<String, Object>>mapToObj(id -> Map.of("id", id)).toList();
    }

    private static RunSummary run(PipelineSpec spec, ListSource source, JdbcCatalogStore catalog, Path data) {
        return run(spec, Optional.empty(), source, catalog, data);
    }

    private static RunSummary run(PipelineSpec spec, Optional<Refresh> refresh, ListSource source, JdbcCatalogStore catalog,
                                  Path data) {
        Run run = new Run(UUID.randomUUID().toString(), spec.name(), RunState.RUNNING, Trigger.CLI, "", CatalogTime.now(),
                Optional.of(CatalogTime.now()), Optional.empty(), "", 1, Optional.empty(), Optional.empty(), "", "");
        catalog.insertRun(run, "test");
        String loadId = "load-" + run.id();
        try (ConnectionPools pools = new ConnectionPools(1, Duration.ofMinutes(1));
             RunJob job = new RunJob(spec, refresh, source, loadId, new Destinations(data, Secrets.of(Map.of())::resolve, pools),
                     new LoadPackages(data), new RunChannel(run, catalog, 100), new RunControl(), Duration.ofSeconds(1),
                     Runtime.getRuntime().availableProcessors())) {
            return job.attempt();
        }
    }
}
