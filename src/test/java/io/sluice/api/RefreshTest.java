package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.proto.v1.CreatePipelineRequest;
import io.sluice.proto.v1.GetRunRequest;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.Refresh;
import io.sluice.proto.v1.Run;
import io.sluice.proto.v1.RunEvent;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.proto.v1.RunState;
import io.sluice.proto.v1.TriggerRunRequest;
import io.sluice.proto.v1.WatchRunRequest;
import io.sluice.pipeline.SpecReader;
import io.sluice.runs.SluiceConfig;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FreshDataDirectory;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Refresh modes through the gRPC API: what each drops or empties, in the load's transaction, and what it resets. */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
class RefreshTest {
    @GrpcClient("sluice")
    PipelineServiceGrpc.PipelineServiceBlockingStub pipelines;

    @GrpcClient("sluice")
    RunServiceGrpc.RunServiceBlockingStub runs;

    @Inject
    SluiceConfig config;

    @Test
    void eachRefreshModeDropsOrEmptiesAndResetsWhatItNames() throws IOException {
        Path input = Files.createTempDirectory("refresh");
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(SpecReader.parse("""
                name: refreshed
                source:
                  filesystem:
                    base_path: "%s"
                    resources:
                      - { name: orders, glob: "orders.jsonl", incremental: { cursor_path: id, initial_value: "1" } }
                      - { name: customers, glob: "customers.jsonl" }
                destination: { duckdb: { path: refreshed.duckdb }, dataset: raw }
                """.formatted(input), "")).build());
        Path database = config.dataDir().resolve("refreshed.duckdb");
        Files.writeString(input.resolve("orders.jsonl"), "{\"id\": 1, \"amount\": 10, \"lines\": [{\"sku\": \"a\"}]}\n"
                + "{\"id\": 2, \"amount\": 20, \"lines\": [{\"sku\": \"b\"}, {\"sku\": \"c\"}]}\n");
        Files.writeString(input.resolve("customers.jsonl"), "{\"id\": 1}\n");
        Run first = run(TriggerRunRequest.newBuilder());
        assertEquals(1, maxVersion(database));

        // The same orders again, their amounts now text: only a refresh loads them again, and DROP_RESOURCES starts
        // their schema anew instead of adding a variant column.
        Files.writeString(input.resolve("orders.jsonl"), "{\"id\": 1, \"amount\": \"n/a\", \"lines\": [{\"sku\": \"a\"}]}\n"
                + "{\"id\": 2, \"amount\": \"x\"}\n");
        Run dropped = run(TriggerRunRequest.newBuilder().setRefresh(Refresh.DROP_RESOURCES).addResources("orders"));
        assertEquals(Refresh.DROP_RESOURCES, dropped.getRefresh());
        assertEquals(List.of("orders"), dropped.getRefreshResourcesList());
        assertEquals(List.of(List.of("1", "n/a"), List.of("2", "x")), DuckDbQueries.rows(database,
                "SELECT id, amount FROM raw.orders ORDER BY id"));
        assertEquals(List.of(List.of("VARCHAR")), DuckDbQueries.rows(database, "SELECT string_agg(data_type, ',') FROM"
                + " information_schema.columns WHERE table_schema = 'raw' AND table_name = 'orders' AND column_name LIKE 'amount%'"));
        assertEquals(1, DuckDbQueries.count(database, "SELECT count(*) FROM raw.orders__lines"), "the old nested rows went too");
        assertEquals(1, DuckDbQueries.count(database, "SELECT count(*) FROM raw.customers WHERE _sluice_load_id = '"
                + first.getSummary().getLoadId() + "'"), "customers were not refreshed: the first load's row stays");
        assertEquals(2, maxVersion(database), "the stored schema no longer has the dropped tables' old columns");

        Files.writeString(input.resolve("customers.jsonl"), "{\"id\": 1}\n{\"id\": 2}\n");
        run(TriggerRunRequest.newBuilder().setRefresh(Refresh.DROP_DATA));
        assertEquals(List.of(List.of("2", "2", "1")), DuckDbQueries.rows(database, "SELECT (SELECT count(*) FROM raw.orders),"
                + " (SELECT count(*) FROM raw.customers), (SELECT count(*) FROM raw.orders__lines)"),
                "emptied and loaded again from the start of the orders' window");
        assertEquals(2, maxVersion(database), "DROP_DATA keeps the schema");

        Files.writeString(input.resolve("orders.jsonl"), "{\"id\": 0}\n");
        Files.writeString(input.resolve("customers.jsonl"), "");
        Run empty = run(TriggerRunRequest.newBuilder().setRefresh(Refresh.DROP_DATA).addResources("orders"));
        assertEquals(0, empty.getSummary().getRows());
        assertEquals(List.of(List.of("0", "2")), DuckDbQueries.rows(database,
                "SELECT (SELECT count(*) FROM raw.orders), (SELECT count(*) FROM raw.customers)"));
        assertEquals(List.of(List.of("{}")), DuckDbQueries.rows(database, "SELECT json_extract(state, '$.cursors') FROM"
                + " raw._sluice_pipeline_state ORDER BY version DESC LIMIT 1"), "a load of no rows commits its state change");

        Files.writeString(input.resolve("orders.jsonl"), "{\"id\": 5}\n");
        Files.writeString(input.resolve("customers.jsonl"), "{\"id\": 7}\n");
        Run restarted = run(TriggerRunRequest.newBuilder().setRefresh(Refresh.DROP_SOURCES));
        String loadId = restarted.getSummary().getLoadId();
        assertEquals(List.of(List.of("5", loadId, "7", loadId)), DuckDbQueries.rows(database, "SELECT o.id, o._sluice_load_id,"
                + " c.id, c._sluice_load_id FROM raw.orders o, raw.customers c"));
        assertEquals(0, DuckDbQueries.count(database, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw'"
                + " AND table_name = 'orders__lines'"), "every table of the pipeline was dropped");
        assertEquals(3, maxVersion(database));
    }

    @Test
    void aRefreshWhoseLoadFailsLeavesEveryRowInPlace() throws IOException {
        Path input = Files.createTempDirectory("refresh-failed");
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(SpecReader.parse("""
                name: refresh-failed
                source: { filesystem: { base_path: "%s", resources: [ { name: customers, glob: "customers.jsonl" } ] } }
                destination: { duckdb: { path: refresh-failed.duckdb }, dataset: raw }
                """.formatted(input), "")).build());
        Path database = config.dataDir().resolve("refresh-failed.duckdb");
        Files.writeString(input.resolve("customers.jsonl"), "{\"id\": 1}\n{\"id\": 2}\n");
        run(TriggerRunRequest.newBuilder().setPipeline("refresh-failed"));
        // A column the load does not fill and that takes no NULL: the load fails after the table was emptied.
        DuckDbQueries.execute(database, "ALTER TABLE raw.customers ADD COLUMN blocker INTEGER DEFAULT 0",
                "ALTER TABLE raw.customers ALTER COLUMN blocker SET NOT NULL", "ALTER TABLE raw.customers ALTER COLUMN blocker DROP DEFAULT");

        Run failed = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline("refresh-failed").setRefresh(Refresh.DROP_DATA).build());
        assertEquals(RunState.FAILED, lastState(failed.getId()));
        assertEquals(2, DuckDbQueries.count(database, "SELECT count(*) FROM raw.customers"), "the emptying went with the transaction");
    }

    @Test
    void refreshesThatDoNotFitThePipelineAreRefusedByField() {
        pipelines.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(SpecReader.parse("""
                name: refusing
                source: { filesystem: { resources: [ { name: events, glob: "*.jsonl" } ] } }
                destination: { duckdb: { path: refusing.duckdb } }
                """, "")).build());
        assertEquals(List.of("resources[1]"), refused(TriggerRunRequest.newBuilder().setRefresh(Refresh.DROP_DATA)
                .addResources("events").addResources("no-such")));
        assertEquals(List.of("resources"), refused(TriggerRunRequest.newBuilder().setRefresh(Refresh.DROP_SOURCES)
                .addResources("events")));
        assertEquals(List.of("resources"), refused(TriggerRunRequest.newBuilder().addResources("events")));
    }

    private List<String> refused(TriggerRunRequest.Builder request) {
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> runs.triggerRun(request.setPipeline("refusing").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        return PipelineServiceTest.violations(refused);
    }

    /** Triggers pipeline {@code refreshed} (unless the request names another) and watches it complete. */
    private Run run(TriggerRunRequest.Builder request) {
        if (request.getPipeline().isEmpty()) {
            request.setPipeline("refreshed");
        }
        Run run = runs.triggerRun(request.build());
        assertEquals(RunState.COMPLETED, lastState(run.getId()),
                runs.getRun(GetRunRequest.newBuilder().setRunId(run.getId()).build()).getError());
        return runs.getRun(GetRunRequest.newBuilder().setRunId(run.getId()).build());
    }

    private RunState lastState(String runId) {
        RunState last = RunState.RUN_STATE_UNSPECIFIED;
        for (var events = runs.watchRun(WatchRunRequest.newBuilder().setRunId(runId).build()); events.hasNext(); ) {
            RunEvent event = events.next();
            if (event.hasStateChange()) {
                last = event.getStateChange().getTo();
            }
        }
        return last;
    }

    private static long maxVersion(Path database) {
        return DuckDbQueries.count(database, "SELECT max(version) FROM raw._sluice_version");
    }
}
