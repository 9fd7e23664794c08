package io.sluice.source.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.ResourceSpec;
import io.sluice.pipeline.SpecReader;
import io.sluice.pipeline.SqlDatabaseSourceSpec;
import io.sluice.schema.ScannedCsv;
import io.sluice.source.CsvCopies;
import io.sluice.source.ItemSink;
import io.sluice.source.RowBatch;
import io.sluice.source.SourceException;
import io.sluice.source.SourceState;
import io.sluice.testing.Await;
import io.sluice.testing.EmbeddedMariaDb;
import io.sluice.testing.PostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SQL source reads its sockets on platform threads of its own ({@link DatabaseCall}), where an interrupt does not end
 * a blocking read: a cut run must still end its reads promptly, through the database, which stops the query too. Real
 * PostgreSQL and MariaDB servers; a proxy of real sockets that stops passing bytes on; a server that never answers.
 */
class SqlSourceCutTest {
    private static final String SCHEMA = "sql_source_cut_test";
    /** Rows come at once until the 3,001st, which sleeps: the read blocks after three chunks, mid-stream. */
    private static final String STALLING_VIEW = "CREATE VIEW " + SCHEMA + ".stalling AS SELECT g::bigint AS id, "
            + "CASE WHEN g > 3000 THEN pg_sleep(600)::text END AS waited FROM generate_series(1, 10000) g";
    private static final String SLEEPING = "state = 'active' AND query LIKE '%" + SCHEMA + "%stalling%' AND pid <> pg_backend_pid()";
    /** The longest a cut may take: the cancel's grace, the abort's, and a slow machine's margin. */
    private static final Duration CUT_DEADLINE = Duration.ofSeconds(20);

    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();
    /** The resources the spec of the last {@link #source} declares. */
    private List<? extends ResourceSpec> declared = List.of();

    @BeforeEach
    void stallingView() {
        PostgresServer.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        PostgresServer.execute("CREATE SCHEMA " + SCHEMA);
        PostgresServer.execute(STALLING_VIEW);
    }

    @AfterEach
    void closeAndStopSleepers() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        PostgresServer.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE " + SLEEPING);
        Await.until("the source's threads to have ended", Duration.ofSeconds(30), SqlSourceCutTest::sourceThreads, List::isEmpty);
    }

    @Test
    void aCutMidStreamEndsTheReadAndStopsTheQueryInTheDatabase() throws Exception {
        SqlDatabaseSource source = source(postgres(PostgresServer.HOST, PostgresServer.PORT, ""));
        Extract extract = Extract.start(source, declared);

        extract.awaitStalled();
        extract.thread.interrupt();

        assertInstanceOf(SourceException.class, extract.ended.get(CUT_DEADLINE.toSeconds(), TimeUnit.SECONDS),
                "the cut ended the read although the next rows take 10 minutes");
        assertTrue(extract.rows.get() < 3000, "rows reached the sink past the stall: " + extract.rows.get());
        Await.until("the cut read's query to have stopped in PostgreSQL", Duration.ofSeconds(30),
                SqlSourceCutTest::sleepingInPostgres, count -> count == 0);
        Await.until("the reader's thread to have ended", Duration.ofSeconds(30), SqlSourceCutTest::sourceThreads, List::isEmpty);
    }

    /** The same for rows copied through COPY: the copy is cut, stopped in PostgreSQL, and what it wrote removed. */
    @Test
    void aCutMidCopyEndsTheCopyAndStopsItInTheDatabase() throws Exception {
        SqlDatabaseSource source = source(postgres(PostgresServer.HOST, PostgresServer.PORT, ""));
        Path directory = Files.createTempDirectory("sql-cut-copy");
        try {
            Extract extract = Extract.start(source, declared, rows -> copying(rows, directory));

            extract.awaitStalled();
            extract.thread.interrupt();

            assertInstanceOf(SourceException.class, extract.ended.get(CUT_DEADLINE.toSeconds(), TimeUnit.SECONDS),
                    "the cut ended the copy although the next rows take 10 minutes");
            Await.until("the cut copy to have stopped in PostgreSQL", Duration.ofSeconds(30), SqlSourceCutTest::sleepingInPostgres,
                    count -> count == 0);
            Await.until("the reader's thread to have ended", Duration.ofSeconds(30), SqlSourceCutTest::sourceThreads, List::isEmpty);
            try (Stream<Path> left = Files.list(directory)) {
                assertEquals(List.of(), left.toList(), "the copy under way is removed");
            }
        } finally {
            try (Stream<Path> left = Files.list(directory)) {
                for (Path file : left.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(directory);
        }
    }

    @Test
    void aCutMidStreamOfAMariaDbQueryStopsItInTheServerToo() throws Exception {
        EmbeddedMariaDb maria = EmbeddedMariaDb.shared();
        SqlDatabaseSource source = source(maria.url(), EmbeddedMariaDb.USER, EmbeddedMariaDb.PASSWORD, EmbeddedMariaDb.DATABASE,
                "{ name: stalling, query: \"SELECT seq AS id, IF(seq > 50000, SLEEP(600), 0) AS stalling FROM seq_1_to_100000\" }");
        Extract extract = Extract.start(source, declared);
        Callable<Long> sleeping = () -> mariaDbCount(maria, "SELECT count(*) FROM information_schema.processlist"
                + " WHERE info LIKE '%stalling%' AND id <> connection_id()");
        try {
            extract.awaitStalled(sleeping);
            extract.thread.interrupt();

            assertInstanceOf(SourceException.class, extract.ended.get(CUT_DEADLINE.toSeconds(), TimeUnit.SECONDS),
                    "the cut ended the read although the next rows take 10 minutes");
            Await.until("the cut read's query to have stopped in MariaDB", Duration.ofSeconds(30), sleeping, count -> count == 0);
        } finally {
            // Should the query still sleep (the test failed), it is killed, for the next test.
            long sleeper = mariaDbCount(maria, "SELECT coalesce(max(id), 0) FROM information_schema.processlist WHERE info LIKE"
                    + " '%stalling%' AND id <> connection_id()");
            if (sleeper > 0) {
                maria.execute("KILL QUERY " + sleeper);
            }
        }
    }

    @Test
    void aCutWhileTheNetworkPassesNothingOnAbortsTheConnection() throws Exception {
        Proxy proxy = new Proxy(PostgresServer.HOST, PostgresServer.PORT);
        opened.add(proxy);
        SqlDatabaseSource source = source(postgres("127.0.0.1", proxy.port(), ""));
        Extract extract = Extract.start(source, declared);
        extract.awaitStalled();
        // Neither the rows nor the answer to a cancel come through now, and a cancel's own connection is refused.
        proxy.stall();
        extract.thread.interrupt();

        assertInstanceOf(SourceException.class, extract.ended.get(CUT_DEADLINE.toSeconds(), TimeUnit.SECONDS),
                "the cut ended the read although nothing comes through to it");
        Await.until("the reader's thread to have ended", Duration.ofSeconds(30), SqlSourceCutTest::sourceThreads, List::isEmpty);
    }

    @Test
    void aServerThatNeverAnswersFailsTheConnectAsTransientWithinTheConnectTimeout() throws Exception {
        ServerSocket silent = silentServer();
        assertConnectFailsWithinItsTimeout(source(postgres("127.0.0.1", silent.getLocalPort(), "?connectTimeout=1")));
    }

    @Test
    void aMariaDbServerThatNeverAnswersFailsTheConnectAsTransientWithinTheConnectTimeout() throws Exception {
        ServerSocket silent = silentServer();
        // MariaDB's connect timeout is in milliseconds, and covers the login.
        assertConnectFailsWithinItsTimeout(source("jdbc:mariadb://127.0.0.1:" + silent.getLocalPort() + "/shop?connectTimeout=1000"));
    }

    /** Resolving fails, as worth another try, well before the test's deadline: the login did not wait for ever. */
    private void assertConnectFailsWithinItsTimeout(SqlDatabaseSource source) throws Exception {
        long started = System.nanoTime();
        CompletableFuture<Throwable> resolved = resolveOnItsOwnThread(source, declared);
        SourceException failure = assertInstanceOf(SourceException.class, resolved.get(30, TimeUnit.SECONDS));

        assertTrue(failure.transientFailure(), "a server that does not answer may answer the next try: " + failure.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(20)) < 0,
                "the login waited as long as the connect timeout, not for ever");
    }

    @Test
    void aCutWhileConnectingToAServerThatNeverAnswersEndsTheCall() throws Exception {
        ServerSocket silent = silentServer();
        SqlDatabaseSource source = source(postgres("127.0.0.1", silent.getLocalPort(), "?connectTimeout=60"));
        CompletableFuture<Throwable> resolved = new CompletableFuture<>();
        List<? extends ResourceSpec> resources = declared;
        Thread resolving = Thread.ofVirtual().start(() -> resolved.complete(failureOf(() -> source.resolve(resources))));
        Await.until("the source to be connecting", Duration.ofSeconds(30), SqlSourceCutTest::sourceThreads, threads -> !threads.isEmpty());

        resolving.interrupt();

        SourceException cut = assertInstanceOf(SourceException.class, resolved.get(CUT_DEADLINE.toSeconds(), TimeUnit.SECONDS),
                "the cut ended the call although the server never answers");
        assertTrue(cut.getMessage().contains("interrupted"), cut.getMessage());
        silent.close();
    }

    /** One resource's extract on a virtual thread, as a run calls it, counting the rows that reach the sink. */
    private record Extract(Thread thread, AtomicLong rows, CompletableFuture<Throwable> ended) {
        static Extract start(SqlDatabaseSource source, List<? extends ResourceSpec> declared) {
            return start(source, declared, SqlSourceCutTest::counting);
        }

        /** As {@link #start(SqlDatabaseSource, List)}, into the sink {@code sink} makes of the counter. */
        static Extract start(SqlDatabaseSource source, List<? extends ResourceSpec> declared, Function<AtomicLong, ItemSink> sink) {
            source.resolve(declared);
            AtomicLong rows = new AtomicLong();
            CompletableFuture<Throwable> ended = new CompletableFuture<>();
            Thread thread = Thread.ofVirtual().start(() -> ended.complete(failureOf(() -> source.extract("stalling", Optional.empty(),
                    new SourceState(Optional.empty()), sink.apply(rows)))));
            return new Extract(thread, rows, ended);
        }

        /** Waits until rows have reached the sink and the query sleeps in PostgreSQL, the read blocked. */
        void awaitStalled() throws Exception {
            awaitStalled(SqlSourceCutTest::sleepingInPostgres);
        }

        /** Waits until rows have reached the sink and {@code sleeping} counts the query, the read blocked. */
        void awaitStalled(Callable<Long> sleeping) throws Exception {
            Await.until("rows to have reached the sink", Duration.ofSeconds(60), () -> rows.get() > 0 || ended.isDone(), done -> done);
            if (ended.isDone()) {
                throw new AssertionError("the read ended before it stalled", ended.join());
            }
            Await.until("the query to be sleeping in the database", Duration.ofSeconds(60), sleeping, count -> count == 1);
        }
    }

    private static CompletableFuture<Throwable> resolveOnItsOwnThread(SqlDatabaseSource source, List<? extends ResourceSpec> declared) {
        CompletableFuture<Throwable> resolved = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> resolved.complete(failureOf(() -> source.resolve(declared))));
        return resolved;
    }

    private static Throwable failureOf(Runnable work) {
        try {
            work.run();
            return null;
        } catch (Throwable thrown) {
            return thrown;
        }
    }

    private static ItemSink counting(AtomicLong rows) {
        return new ItemSink() {
            @Override
            public boolean rows(RowBatch batch) {
                rows.addAndGet(batch.rows().size());
                return true;
            }

            @Override
            public boolean item(Map<String, Object> item, Supplier<String> origin) {
                rows.incrementAndGet();
                return true;
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

    /** A sink that takes rows as copies into {@code directory}, counting each row as its id is asked for; no row otherwise. */
    private static ItemSink copying(AtomicLong rows, Path directory) {
        CsvCopies copies = new CsvCopies() {
            @Override
            public Path newCopy() {
                return directory.resolve("copy-" + System.nanoTime() + ".csv");
            }

            @Override
            public int rowId(long row, byte[] into) {
                rows.incrementAndGet();
                into[0] = 'r';
                return 1;
            }

            @Override
            public boolean take(ScannedCsv file, Supplier<String> origin) {
                return true;
            }
        };
        return new ItemSink() {
            @Override
            public boolean item(Map<String, Object> item, Supplier<String> origin) {
                throw new AssertionError("a row came as an item, not copied: " + origin.get());
            }

            @Override
            public Optional<CsvCopies> csvCopies() {
                return Optional.of(copies);
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

    private static long sleepingInPostgres() {
        return PostgresServer.count("SELECT count(*) FROM pg_stat_activity WHERE " + SLEEPING);
    }

    private static long mariaDbCount(EmbeddedMariaDb maria, String query) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", EmbeddedMariaDb.USER);
        login.setProperty("password", EmbeddedMariaDb.PASSWORD);
        try (Connection connection = new org.mariadb.jdbc.Driver().connect(maria.url(), login);
             Statement statement = connection.createStatement(); ResultSet count = statement.executeQuery(query)) {
            count.next();
            return count.getLong(1);
        }
    }

    private static String postgres(String host, int port, String parameters) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + PostgresServer.DATABASE + parameters;
    }

    private SqlDatabaseSource source(String url) {
        return source(url, PostgresServer.USER, PostgresServer.PASSWORD, SCHEMA, "{ name: stalling }");
    }

    /** @param resource the one resource, in YAML flow style; named {@code stalling} */
    private SqlDatabaseSource source(String url, String user, String password, String schema, String resource) {
        String yaml = """
                name: cut
                source:
                  sql_database:
                    url: "%s"
                    username: %s
                    password_secret: source-password
                    schema: %s
                    chunk_size: 1000
                    resources: [ %s ]
                destination: { duckdb: { path: warehouse.duckdb }, dataset: raw }
                """.formatted(url, user, schema, resource);
        SqlDatabaseSourceSpec spec = (SqlDatabaseSourceSpec) PipelineSpecs.toSpec(SpecReader.parse(yaml, ""), "").source();
        declared = spec.resources();
        return SqlDatabaseSource.open(spec, Map.of("source-password", password)::get);
    }

    /** Accepts connections and never sends a byte. */
    private ServerSocket silentServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        opened.add(server);
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) {
                    opened.add(server.accept());
                }
            } catch (IOException e) {
                // Closed by the test.
            }
        });
        return server;
    }

    private static List<String> sourceThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(name -> name.startsWith("sql-")).toList();
    }

    /** Passes bytes between its clients and a server until stalled; then passes nothing on and refuses new clients. */
    private static final class Proxy implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private volatile boolean stalled;

        Proxy(String host, int port) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        Socket client = server.accept();
                        sockets.add(client);
                        if (stalled) {
                            client.close();
                            continue;
                        }
                        Socket upstream = new Socket(host, port);
                        sockets.add(upstream);
                        pump(client, upstream);
                        pump(upstream, client);
                    }
                } catch (IOException e) {
                    // Closed by the test.
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        void stall() {
            stalled = true;
        }

        private void pump(Socket from, Socket to) {
            Thread.ofPlatform().daemon().start(() -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int read;
                    while ((read = in.read(buffer)) >= 0) {
                        while (stalled && !from.isClosed()) {
                            Thread.sleep(20);
                        }
                        out.write(buffer, 0, read);
                    }
                } catch (IOException | InterruptedException e) {
                    // A side closed.
                }
            });
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
