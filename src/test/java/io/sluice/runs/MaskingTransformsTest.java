package io.sluice.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalog.CatalogTime;
import io.sluice.catalog.JdbcCatalogStore;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.StoredEvent;
import io.sluice.catalog.Trigger;
import io.sluice.load.ConnectionPools;
import io.sluice.load.Destinations;
import io.sluice.load.LoadPackages;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.security.MissingSecretException;
import io.sluice.security.Secrets;
import io.sluice.testing.BlockedCommits;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.FileDataSource;
import io.sluice.testing.ListSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Masking transforms in runs into a real DuckDB file: what the tables hold, and what the load package's staged files
 * on disk hold (the packages are kept after their commit, to be read).
 */
class MaskingTransformsTest {
    private static final String KEY = "k3y-Th4t-must-n3ver-leak";
    private static final PipelineSpec SPEC = PipelineSpecs.toSpec(SpecReader.parse("""
            name: masked
            source: { filesystem: { resources: [ { name: items, glob: "*.jsonl" } ] } }
            destination: { duckdb: { path: masked.duckdb }, dataset: raw }
            transforms:
              - { resource: items, mask: { columns: [email, user.email, "comments[].author.email"], method: HMAC_SHA256,
                                           key_secret: pii-key } }
              - { resource: items, mask: { columns: [user.phone], method: REDACT } }
              - { resource: items, mask: { columns: [bio], method: TRUNCATE, keep_characters: 5 } }
              - { resource: items, drop: { columns: [ssn, "comments[].author.ip"] } }
            """, ""), "");
    /** Every value a transform hides: none may be found anywhere a run wrote. */
    private static final List<String> ORIGINALS = List.of("alice@example.com", "alice.user@example.com", "+1 555 0101",
            "long walks", "123-45-6789", "bob@example.com", "10.1.2.3", "carol@example.com", "10.4.5.6", "dave@example.com",
            "dave.user@example.com", "+1 555 0202", "000-11-2222");

    private static List<Map<String, Object>> items() {
        return List.of(
                Map.of("id", 1, "email", "alice@example.com", "bio", "Loves long walks", "ssn", "123-45-6789",
                        "user", Map.of("email", "alice.user@example.com", "phone", "+1 555 0101", "name", "Alice"),
                        "comments", List.of(
                                Map.of("text", "hi", "author", Map.of("email", "bob@example.com", "ip", "10.1.2.3")),
                                Map.of("text", "yo", "author", Map.of("email", "carol@example.com", "ip", "10.4.5.6")))),
                Map.of("id", 2, "email", "dave@example.com", "bio", "Dave", "ssn", "000-11-2222",
                        "user", Map.of("email", "dave.user@example.com", "phone", "+1 555 0202", "name", "Dave"),
                        "comments", List.of()));
    }

    @Test
    void maskedValuesReachNeitherTheTablesNorTheStagedFiles() throws Exception {
        Path data = Files.createTempDirectory("masked");
        JdbcCatalogStore catalog = catalog(data);
        String firstRun = run(catalog, data, Map.of("pii-key", KEY));
        Path database = data.resolve("masked.duckdb");

        assertEquals(List.of(
                List.of("1", hmac("alice@example.com"), hmac("alice.user@example.com"), "[REDACTED]", "Alice", "Loves"),
                List.of("2", hmac("dave@example.com"), hmac("dave.user@example.com"), "[REDACTED]", "Dave", "Dave")),
                DuckDbQueries.rows(database, "SELECT id, email, user__email, user__phone, user__name, bio FROM raw.items ORDER BY id"),
                "hashed as a reference HMAC-SHA256 computed here, redacted, truncated; the other fields as they were");
        assertEquals(List.of(List.of("hi", hmac("bob@example.com")), List.of("yo", hmac("carol@example.com"))),
                DuckDbQueries.rows(database, "SELECT text, author__email FROM raw.items__comments ORDER BY _sluice_list_idx"),
                "fields of the rows of a nested table, through a list");
        assertEquals(List.of(List.of("author__email", "VARCHAR"), List.of("bio", "VARCHAR"), List.of("email", "VARCHAR"),
                        List.of("user__email", "VARCHAR"), List.of("user__phone", "VARCHAR")),
                DuckDbQueries.rows(database, "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'raw'"
                        + " AND column_name IN ('email', 'user__email', 'user__phone', 'bio', 'author__email', 'ssn', 'author__ip')"
                        + " ORDER BY column_name"), "masked columns are text; dropped fields have no column");

        List<Path> staged = files(data.resolve("loaded"));
        assertFalse(staged.stream().noneMatch(file -> file.toString().contains("completed_jobs")), "the package was kept: " + staged);
        assertNoneContains(staged, ORIGINALS);
        assertTrue(contents(staged).contains(hmac("bob@example.com")), "the staged files hold the hashes");

        String secondRun = run(catalog, data, Map.of("pii-key", KEY));
        assertEquals(List.of(List.of("4", "2", "2")), DuckDbQueries.rows(database,
                "SELECT count(*), count(DISTINCT email), count(DISTINCT user__email) FROM raw.items"),
                "the same value hashes the same in the next run, so joins still work");

        assertNoneContains(files(data), ORIGINALS);
        assertNoneContains(files(data), List.of(KEY));
        assertNoneContains(catalog, List.of(firstRun, secondRun), List.of(KEY));
    }

    @Test
    void neitherTheKeyNorAMaskedValueIsInTheErrorsOfAFailedRunOrItsPendingPackage() throws Exception {
        Path data = Files.createTempDirectory("masked-failing");
        JdbcCatalogStore catalog = catalog(data);
        run(catalog, data, Map.of("pii-key", KEY));
        BlockedCommits.block(data.resolve("masked.duckdb"));
        RuntimeException refused = assertThrows(RuntimeException.class, () -> run(catalog, data, Map.of("pii-key", KEY)),
                "the commit is refused");
        Path keyless = Files.createTempDirectory("masked-keyless");
        MissingSecretException missing = assertThrows(MissingSecretException.class, () -> run(catalog(keyless), keyless, Map.of()),
                "no key: no run");
        assertTrue(missing.getMessage().contains("pii-key"), "the missing secret is named: " + missing.getMessage());
        for (Throwable failure = refused; failure != null; failure = failure.getCause()) {
            String message = String.valueOf(failure.getMessage());
            Stream.concat(ORIGINALS.stream(), Stream.of(KEY)).forEach(hidden -> assertFalse(message.contains(hidden), message));
        }
        List<Path> pending = files(data.resolve("packages"));
        assertFalse(pending.isEmpty(), "the refused package waits on disk");
        assertNoneContains(pending, ORIGINALS);
        assertNoneContains(files(data), List.of(KEY));
    }

    private static String hmac(String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static JdbcCatalogStore catalog(Path data) {
        JdbcCatalogStore catalog = new JdbcCatalogStore(new FileDataSource(data.resolve("catalog.duckdb")));
        catalog.migrate();
        return catalog;
    }

    /** One attempt of a run of the spec; its id. */
    private static String run(JdbcCatalogStore catalog, Path data, Map<String, String> secrets) {
        Run run = new Run(UUID.randomUUID().toString(), SPEC.name(), RunState.RUNNING, Trigger.CLI, "", CatalogTime.now(),
                Optional.of(CatalogTime.now()), Optional.empty(), "", 1, Optional.empty(), Optional.empty(), "", "");
        catalog.insertRun(run, "test");
        RunChannel channel = new RunChannel(run, catalog, 100);
        try (ConnectionPools pools = new ConnectionPools(1, Duration.ofMinutes(1));
             RunJob job = new RunJob(SPEC, Optional.empty(), new ListSource("items", items()), "load-" + run.id(),
                     new Destinations(data, Secrets.of(secrets)::resolve, pools), new LoadPackages(data, true),
                     channel, new RunControl(), Duration.ofSeconds(1), Runtime.getRuntime().availableProcessors())) {
            job.attempt();
        } finally {
            // The run's events and log lines wait to be written with its next change; ended here, they are written now.
            channel.end();
        }
        return run.id();
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static String contents(List<Path> files) throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path file : files) {
            all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).append('\n');
        }
        return all.toString();
    }

    private static void assertNoneContains(List<Path> files, List<String> hidden) throws IOException {
        for (Path file : files) {
            // Byte for byte, so binary files (DuckDB's) are searched too; the values are ASCII.
            String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            hidden.forEach(value -> assertFalse(bytes.contains(value), file + " holds '" + value + "'"));
        }
    }

    private static void assertNoneContains(JdbcCatalogStore catalog, List<String> runs, List<String> hidden) {
        for (String run : runs) {
            // Its events and its log lines, which the catalog keeps apart.
            List<String> stored = java.util.stream.Stream.concat(catalog.events(run).stream().map(StoredEvent::payload),
                    catalog.logLines(run, 10_000, "").items().stream().map(line -> line.level() + " " + line.message())).toList();
            assertFalse(stored.isEmpty(), "run " + run + " has events or log lines");
            stored.forEach(text -> hidden.forEach(value -> assertFalse(text.contains(value), text)));
        }
    }
}
