package io.sluice.runs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.sluice.catalog.RunState;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.testing.Await;
import io.sluice.testing.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-shot command's run executes on a platform thread ({@link RunExecutor#runThread}), where a blocking socket read
 * does not end on interrupt, and so does the SQL source's query (its own platform thread): cutting the run still ends a
 * source's blocked query as the Source contract promises, through the database, which stops the query too. A real
 * PostgreSQL query that sleeps far past the test's deadline.
 */
class PlatformRunThreadTest {
    private static final String SCHEMA = "platform_run_thread_test";
    private static final String SLEEPING = "state = 'active' AND query LIKE '%" + SCHEMA + "%slow%' AND pid <> pg_backend_pid()";

    @Test
    void aRunOnAPlatformThreadIsCutOutOfItsSourcesBlockedQueryWhichTheDatabaseStops(@TempDir Path data) throws Exception {
        PostgresServer.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        PostgresServer.execute("CREATE SCHEMA " + SCHEMA);
        PostgresServer.execute("CREATE VIEW " + SCHEMA + ".slow AS SELECT 1::bigint AS id, pg_sleep(600)::text AS waited");
        RunControl control = new RunControl();
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread run = RunExecutor.runThread(true, "run-platform").unstarted(() -> {
            try {
                PipelineRuns.run(spec(), data, Map.of("pg-source", PostgresServer.PASSWORD), control);
                ended.complete(null);
            } catch (Throwable thrown) {
                ended.complete(thrown);
            }
        });
        control.runsOn(run);
        run.start();
        assertFalse(run.isVirtual());

        try {
            Await.until("the source's query to be sleeping in PostgreSQL", Duration.ofSeconds(60),
                    () -> PostgresServer.count("SELECT count(*) FROM pg_stat_activity WHERE " + SLEEPING), count -> count == 1);
            control.stop(RunState.CANCELLED, "cancelled on request");

            assertInstanceOf(RunControl.RunStoppedException.class, ended.get(30, TimeUnit.SECONDS),
                    "the cut ended the run although its query sleeps for 10 minutes");
            Await.until("the cut run's query to have stopped in PostgreSQL", Duration.ofSeconds(30),
                    () -> PostgresServer.count("SELECT count(*) FROM pg_stat_activity WHERE " + SLEEPING), count -> count == 0);
        } finally {
            // Should the query still sleep (the test failed), it is ended here, for the next test.
            PostgresServer.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE " + SLEEPING);
        }
    }

    private static PipelineSpec spec() {
        return PipelineSpecs.toSpec(SpecReader.parse("""
                name: platform-run-thread
                source:
                  sql_database:
                    url: "jdbc:postgresql://%s:%d/%s"
                    username: %s
                    password_secret: pg-source
                    schema: %s
                    resources: [ { name: slow } ]
                destination: { duckdb: { path: warehouse.duckdb }, dataset: raw }
                """.formatted(PostgresServer.HOST, PostgresServer.PORT, PostgresServer.DATABASE, PostgresServer.USER, SCHEMA), ""), "");
    }
}
