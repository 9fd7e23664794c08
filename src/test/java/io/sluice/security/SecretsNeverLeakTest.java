package io.sluice.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agroal.api.AgroalDataSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.load.DuckDbFileRelease;
import io.sluice.pipeline.SpecReader;
import io.sluice.proto.v1.CreatePipelineRequest;
import io.sluice.proto.v1.GetPipelineRequest;
import io.sluice.proto.v1.GetRunRequest;
import io.sluice.proto.v1.ListPipelinesRequest;
import io.sluice.proto.v1.ListRunsRequest;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.Run;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.proto.v1.RunState;
import io.sluice.proto.v1.TriggerRunRequest;
import io.sluice.proto.v1.ValidatePipelineRequest;
import io.sluice.proto.v1.WatchRunRequest;
import io.sluice.runs.SluiceConfig;
import io.sluice.testing.DistinctiveSecrets;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.PostgresPassword;
import io.sluice.testing.PostgresServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * Runs pipelines that use secrets — a PostgreSQL destination and an SQL source with a password, a REST source with a
 * bearer token, basic auth, an API key in the query and OAuth2 client credentials — some completing and some failing
 * (a wrong password, a 401 that echoes what it got, a 403, a refused token request, hosts nobody listens on), and
 * specs with a credential pasted where a secret's name goes; then reads everything the service wrote (the catalog's
 * every table, the data directory with its load packages, the PostgreSQL datasets, the log records, what the API
 * answers, the metrics and the spans) and finds none of the values.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
@QuarkusTestResource(PostgresPassword.class)
@QuarkusTestResource(DistinctiveSecrets.class)
class SecretsNeverLeakTest {
    private static final Duration RUN_DEADLINE = Duration.ofSeconds(90);
    private static final String ROLE = "leak_loader";
    /** Handed out by the test's OAuth2 server: a credential too, though no secret names it. */
    private static final String ACCESS_TOKEN = "AccessTk-9Lm3Bd5Rf2";
    /** Pasted where a secret's name goes: refused, and so never stored nor repeated. */
    private static final String PASTED = "ghp_Pasted9Tok3nQ7w2E5r8T1y";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @GrpcClient("sluice")
    PipelineServiceGrpc.PipelineServiceBlockingStub pipelines;

    @GrpcClient("sluice")
    RunServiceGrpc.RunServiceBlockingStub runs;

    @Inject
    AgroalDataSource catalog;

    @Inject
    SluiceConfig config;

    @Inject
    InMemorySpanExporter spans;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    private static String secret(String name) {
        return DistinctiveSecrets.VALUES.get(name);
    }

    /** Every credential the runs handle, by what it is, in each form it travels in. */
    private static Map<String, String> credentials() {
        Map<String, String> credentials = new LinkedHashMap<>();
        DistinctiveSecrets.VALUES.forEach((name, value) -> credentials.put("secret " + name, value));
        credentials.put("basic auth header", Base64.getEncoder().encodeToString(("ada:" + secret(DistinctiveSecrets.BASIC))
                .getBytes(StandardCharsets.UTF_8)));
        credentials.put("OAuth2 access token", ACCESS_TOKEN);
        credentials.put("credential pasted into a spec", PASTED);
        return credentials;
    }

    @Test
    void noSecretValueIsWrittenAnywhereAfterRunsThatUsedThem() throws Exception {
        createRole();
        Path files = Files.createTempDirectory("leak-files");
        Files.writeString(files.resolve("items.jsonl"), "{\"id\": 1}\n{\"id\": 2}\n");
        int closedPort = closedPort();
        StringBuilder answered = new StringBuilder();
        Map<String, Run> ended = new LinkedHashMap<>();
        HttpServer api = api();
        LogCapture logs = LogCapture.start();
        try {
            String url = "http://127.0.0.1:" + api.getAddress().getPort() + "/";
            String pg = "host: %s, port: %d, database: %s, username: %s".formatted(PostgresServer.HOST, PostgresServer.PORT,
                    PostgresServer.DATABASE, ROLE);
            String items = "filesystem: { base_path: \"%s\", resources: [ { name: items, glob: items.jsonl } ] }".formatted(files);
            String jdbc = "jdbc:postgresql://%s:%d/%s".formatted(PostgresServer.HOST, PostgresServer.PORT, PostgresServer.DATABASE);
            String oneShot = "client: { retries: { max_attempts: 1 } }, ";
            Map<String, String> specs = new LinkedHashMap<>();
            specs.put("leak-pg-ok", "source: { %s }\ndestination: { postgres: { %s, password_secret: %s }, dataset: leak_ok }"
                    .formatted(items, pg, DistinctiveSecrets.PG_PASSWORD));
            specs.put("leak-pg-wrong", "source: { %s }\ndestination: { postgres: { %s, password_secret: %s }, dataset: leak_wrong }"
                    .formatted(items, pg, DistinctiveSecrets.PG_WRONG));
            specs.put("leak-pg-unreachable", ("source: { %s }\ndestination: { postgres: { host: 127.0.0.1, port: %d, database: x,"
                    + " username: %s, password_secret: %s }, dataset: leak_gone }").formatted(items, closedPort, ROLE, DistinctiveSecrets.PG_PASSWORD));
            specs.put("leak-sql-ok", sql(jdbc, DistinctiveSecrets.PG_PASSWORD));
            specs.put("leak-sql-wrong", sql(jdbc, DistinctiveSecrets.PG_WRONG));
            specs.put("leak-rest-bearer", rest(url, oneShot, "bearer: { token_secret: " + DistinctiveSecrets.BEARER + " }", "bearer"));
            specs.put("leak-rest-refused", rest(url, oneShot, "bearer: { token_secret: " + DistinctiveSecrets.BEARER_REFUSED + " }", "refused"));
            specs.put("leak-rest-basic", rest(url, oneShot, "basic: { username: ada, password_secret: " + DistinctiveSecrets.BASIC + " }", "basic"));
            specs.put("leak-rest-key", rest(url, oneShot, "api_key: { name: api_key, key_secret: " + DistinctiveSecrets.API_KEY
                    + ", location: QUERY }", "forbidden"));
            String key = "api_key: { name: api_key, key_secret: " + DistinctiveSecrets.API_KEY + ", location: QUERY }";
            specs.put("leak-rest-key-kept", rest(url, oneShot, key, "kept"));
            specs.put("leak-rest-key-next", rest(url, oneShot, key, "next"));
            specs.put("leak-rest-oauth", rest(url, oneShot, "oauth2_client_credentials: { access_token_url: \"" + url + "oauth/token\","
                    + " client_id: sluice, client_secret: " + DistinctiveSecrets.CLIENT_SECRET + " }", "oauth"));
            specs.put("leak-rest-oauth-refused", rest(url, oneShot, "oauth2_client_credentials: { access_token_url: \"" + url
                    + "oauth/refused\", client_id: sluice, client_secret: " + DistinctiveSecrets.CLIENT_SECRET + " }", "oauth"));
            specs.put("leak-rest-unreachable", rest("http://127.0.0.1:" + closedPort + "/", oneShot, "bearer: { token_secret: "
                    + DistinctiveSecrets.BEARER + " }", "bearer"));
            specs.forEach((name, spec) -> pipelines.createPipeline(CreatePipelineRequest.newBuilder()
                    .setPipeline(SpecReader.parse("name: " + name + "\n" + spec + "\n", name)).build()));
            for (String name : specs.keySet()) {
                ended.put(name, run(name, answered));
                answered.append(pipelines.getPipeline(GetPipelineRequest.newBuilder().setName(name).build())).append('\n');
            }
            refusedSpecs(jdbc, answered);
            answered.append(pipelines.listPipelines(ListPipelinesRequest.newBuilder().setPageSize(1000).build()));
            answered.append(runs.listRuns(ListRunsRequest.newBuilder().setPageSize(1000).build()));
        } finally {
            logs.stop();
            api.stop(0);
        }
        assertOutcomes(ended);

        Findings findings = new Findings(credentials());
        findings.scan("the catalog", dumpCatalog());
        findings.scan("the PostgreSQL datasets", dumpPostgres());
        scanDataDirectory(findings);
        findings.scan("the log records", logs.text());
        findings.scan("the API's answers", answered.toString());
        findings.scan("the metrics", HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body());
        findings.scan("the spans", spans.getFinishedSpanItems().toString());
        assertEquals(List.of(), findings.leaks(), "credentials found among what the service wrote");

        // The grep would have found them: what it read holds what the runs did.
        assertTrue(dumpCatalog().contains(DistinctiveSecrets.PG_WRONG), "the stored specs, with the names of their secrets, are in the catalog dump");
        assertTrue(logs.text().contains("run " + ended.get("leak-pg-wrong").getId() + " failed"), "the failed runs are in the log records");
        assertTrue(answered.toString().contains("password authentication failed"), "the API's answers hold the runs' errors");
    }

    private static String sql(String jdbc, String passwordSecret) {
        return ("source: { sql_database: { url: \"%s\", username: %s, password_secret: %s, resources: [ { name: one, query: \"SELECT 1 AS id\" } ] } }\n"
                + "destination: { duckdb: { path: leak-sql.duckdb }, dataset: leak_sql }").formatted(jdbc, ROLE, passwordSecret);
    }

    /** @param endpoint the endpoint's fields, its path first */
    private static String rest(String baseUrl, String client, String auth, String endpoint) {
        return "source: { rest_api: { base_url: \"%s\", %sauth: { %s }, resources: [ { name: items, endpoint: { path: %s } } ] } }\n"
                .formatted(baseUrl, client, auth, endpoint) + "destination: { duckdb: { path: leak-rest.duckdb }, dataset: leak_rest }";
    }

    /** Runs the pipeline to its end, adding each event the API streamed and the run it answers for to {@code answered}. */
    private Run run(String pipeline, StringBuilder answered) {
        String id = runs.triggerRun(TriggerRunRequest.newBuilder().setPipeline(pipeline).build()).getId();
        runs.withDeadlineAfter(RUN_DEADLINE.toSeconds(), TimeUnit.SECONDS).watchRun(WatchRunRequest.newBuilder().setRunId(id).build())
                .forEachRemaining(event -> answered.append(event).append('\n'));
        Run run = runs.getRun(GetRunRequest.newBuilder().setRunId(id).build());
        answered.append(run).append('\n');
        return run;
    }

    /** Specs with a credential where a secret's name goes: refused, with what the API answered added to {@code answered}. */
    private void refusedSpecs(String jdbc, StringBuilder answered) {
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> pipelines.createPipeline(CreatePipelineRequest
                .newBuilder().setPipeline(SpecReader.parse("""
                        name: leak-pasted
                        source: { rest_api: { base_url: "http://127.0.0.1/", auth: { bearer: { token_secret: "%s" } }, resources: [ { name: a } ] } }
                        destination: { duckdb: { path: x.duckdb } }
                        """.formatted(PASTED), "pasted")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        answered.append(refused.getMessage()).append('\n');
        for (Any detail : StatusProto.fromThrowable(refused).getDetailsList()) {
            if (detail.is(BadRequest.class)) {
                try {
                    answered.append(detail.unpack(BadRequest.class)).append('\n');
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError(e);
                }
            }
        }
        assertTrue(answered.toString().contains("source.rest_api.auth.bearer.token_secret"), answered.toString());
        answered.append(pipelines.validatePipeline(ValidatePipelineRequest.newBuilder().setPipeline(SpecReader.parse("""
                name: leak-pasted
                source: { sql_database: { url: "%s?password=%s", username: %s } }
                destination: { postgres: { host: db, database: shop, password_secret: "%s" } }
                """.formatted(jdbc, PASTED, ROLE, PASTED), "pasted")).build())).append('\n');
    }

    private static void assertOutcomes(Map<String, Run> ended) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        ended.forEach((name, run) -> outcomes.put(name, run.getState().name()));
        Map<String, String> expected = new LinkedHashMap<>();
        for (String name : ended.keySet()) {
            expected.put(name, name.endsWith("-ok") || List.of("leak-rest-bearer", "leak-rest-basic", "leak-rest-key-kept", "leak-rest-oauth")
                    .contains(name)
                    ? RunState.COMPLETED.name() : RunState.FAILED.name());
        }
        assertEquals(expected, outcomes, ended.toString());
        assertTrue(ended.get("leak-pg-wrong").getError().contains("password authentication failed"), ended.get("leak-pg-wrong").getError());
        assertTrue(ended.get("leak-rest-refused").getError().contains("HTTP 401"), ended.get("leak-rest-refused").getError());
        assertTrue(ended.get("leak-rest-key").getError().contains("HTTP 403"), ended.get("leak-rest-key").getError());
        assertTrue(ended.get("leak-rest-key-next").getError().contains("page=2: HTTP 403"), ended.get("leak-rest-key-next").getError());
    }

    /** The role the pipelines log in as, with the password of the secret {@link DistinctiveSecrets#PG_PASSWORD}. */
    private static void createRole() {
        String password = secret(DistinctiveSecrets.PG_PASSWORD);
        PostgresServer.execute("DO $$ BEGIN CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + password + "'; EXCEPTION WHEN duplicate_object"
                + " THEN ALTER ROLE " + ROLE + " LOGIN PASSWORD '" + password + "'; END $$");
        PostgresServer.execute("GRANT CREATE ON DATABASE " + PostgresServer.DATABASE + " TO " + ROLE);
        PostgresServer.dropDataset("leak_ok");
    }

    /**
     * The REST API the pipelines read: each path checks its credential; refusals answer with what they were sent, as some
     * APIs do, so a message that carries the answer would carry the credential.
     */
    private static HttpServer api() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/bearer", exchange -> itemsIf(exchange, ("Bearer " + secret(DistinctiveSecrets.BEARER))
                .equals(exchange.getRequestHeaders().getFirst("Authorization"))));
        server.createContext("/refused", exchange -> itemsIf(exchange, false));
        server.createContext("/basic", exchange -> itemsIf(exchange, ("Basic " + Base64.getEncoder().encodeToString(("ada:"
                + secret(DistinctiveSecrets.BASIC)).getBytes(StandardCharsets.UTF_8))).equals(exchange.getRequestHeaders().getFirst("Authorization"))));
        server.createContext("/forbidden", exchange -> answer(exchange, 403, echo(exchange)));
        // Next links that repeat every parameter of the request, the API key too, as many APIs' do: the second page
        // answers, or is forbidden.
        server.createContext("/kept", exchange -> linked(exchange, 200));
        server.createContext("/next", exchange -> linked(exchange, 403));
        server.createContext("/oauth/token", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            answer(exchange, form.contains("client_secret=" + secret(DistinctiveSecrets.CLIENT_SECRET)) ? 200 : 401,
                    "{\"access_token\": \"" + ACCESS_TOKEN + "\", \"expires_in\": 3600}");
        });
        server.createContext("/oauth/refused", exchange -> answer(exchange, 401, "{\"error\": \"invalid_client\", \"got\": \""
                + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) + "\"}"));
        server.createContext("/oauth", exchange -> itemsIf(exchange, ("Bearer " + ACCESS_TOKEN)
                .equals(exchange.getRequestHeaders().getFirst("Authorization"))));
        server.start();
        return server;
    }

    private static void linked(HttpExchange exchange, int secondPage) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        if (query.contains("page=2")) {
            answer(exchange, secondPage, secondPage == 200 ? "{\"data\": [{\"id\": 2}]}" : echo(exchange));
        } else {
            answer(exchange, 200, "{\"data\": [{\"id\": 1}], \"next\": \"" + exchange.getRequestURI().getPath() + "?" + query + "&page=2\"}");
        }
    }

    private static void itemsIf(HttpExchange exchange, boolean authorized) throws IOException {
        answer(exchange, authorized ? 200 : 401, authorized ? "[{\"id\": 1}, {\"id\": 2}]" : echo(exchange));
    }

    /** What a careless API answers a refused request with: the request's query and credentials. */
    private static String echo(HttpExchange exchange) {
        return "{\"error\": \"refused\", \"query\": \"" + exchange.getRequestURI().getRawQuery() + "\", \"authorization\": \""
                + exchange.getRequestHeaders().getFirst("Authorization") + "\"}";
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** A port nobody listens on: one the system just gave out and took back. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Every row of every table of the catalog, as text. */
    private String dumpCatalog() throws SQLException {
        try (Connection connection = catalog.getConnection()) {
            return dump(connection, "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'");
        }
    }

    /** Every row of every table of the datasets the pipelines loaded into PostgreSQL, staging included. */
    private static String dumpPostgres() throws SQLException {
        try (Connection connection = PostgresServer.connect()) {
            return dump(connection, "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema LIKE 'leak\\_%'");
        }
    }

    private static String dump(Connection connection, String tablesQuery) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(tablesQuery)) {
            while (result.next()) {
                tables.add("\"" + result.getString(1) + "\".\"" + result.getString(2) + "\"");
            }
        }
        StringBuilder text = new StringBuilder();
        for (String table : tables) {
            text.append(table).append('\n');
            try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT * FROM " + table)) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    for (int i = 1; i <= columns; i++) {
                        Object value = result.getObject(i);
                        text.append(value instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : String.valueOf(value)).append('|');
                    }
                    text.append('\n');
                }
            }
        }
        return text.toString();
    }

    /**
     * Every file of the data directory byte for byte (load packages, the catalog's files), gzip files unpacked, and the
     * tables of the DuckDB files these pipelines loaded. Other tests' DuckDB files are read as bytes only: opening one
     * would lock it.
     */
    private void scanDataDirectory(Findings findings) throws IOException {
        // A file the service detached during the walk would lose its log between the listing and the read.
        DuckDbFileRelease.detachAllIdle();
        List<Path> all;
        try (Stream<Path> walk = Files.walk(config.dataDir())) {
            all = walk.filter(Files::isRegularFile).toList();
        }
        assertTrue(all.stream().anyMatch(file -> file.getFileName().toString().startsWith("leak-")), "the pipelines' files: " + all);
        for (Path file : all) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            findings.scan(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            String name = file.getFileName().toString();
            if (name.endsWith(".gz")) {
                try (InputStream unpacked = new GZIPInputStream(Files.newInputStream(file))) {
                    findings.scan(file + " (unpacked)", new String(unpacked.readAllBytes(), StandardCharsets.ISO_8859_1));
                }
            } else if (name.startsWith("leak-") && name.endsWith(".duckdb")) {
                DuckDbQueries.rows(file, "SELECT table_schema || '.' || table_name FROM information_schema.tables").forEach(table ->
                        findings.scan(file + " " + table.getFirst(), DuckDbQueries.rows(file, "SELECT * FROM " + table.getFirst()).toString()));
            }
        }
    }

    /** Which credential turned up where. */
    private static final class Findings {
        private final Map<String, String> credentials;
        private final List<String> leaks = new ArrayList<>();

        Findings(Map<String, String> credentials) {
            this.credentials = credentials;
        }

        void scan(String place, String text) {
            credentials.forEach((what, value) -> {
                int at = text.indexOf(value);
                if (at >= 0) {
                    leaks.add(what + " in " + place + ": …" + text.substring(Math.max(0, at - 300), Math.min(text.length(), at + 100)) + "…");
                }
            });
        }

        List<String> leaks() {
            return List.copyOf(leaks);
        }
    }

    /**
     * The log records of the service while the pipelines run, io.sluice's at DEBUG too, each with its stack trace: what
     * the console or a log file would get.
     */
    private static final class LogCapture extends Handler {
        private final StringBuffer text = new StringBuffer();
        private final Logger root = Logger.getLogger("");
        private final Logger sluice = Logger.getLogger("io.sluice");
        private final Level sluiceLevel = sluice.getLevel();

        static LogCapture start() {
            LogCapture capture = new LogCapture();
            capture.root.addHandler(capture);
            capture.sluice.setLevel(Level.FINE);
            return capture;
        }

        @Override
        public void publish(LogRecord record) {
            String message = record instanceof ExtLogRecord extended ? extended.getFormattedMessage() : record.getMessage();
            text.append(record.getLevel()).append(' ').append(record.getLoggerName()).append(": ").append(message).append('\n');
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                text.append(trace).append('\n');
            }
        }

        String text() {
            return text.toString();
        }

        void stop() {
            root.removeHandler(this);
            sluice.setLevel(sluiceLevel);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
