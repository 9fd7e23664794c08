package io.sluice.source.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.catalog.RunSummary;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.runs.PipelineRuns;
import io.sluice.schema.ScannedCsv;
import io.sluice.source.CsvCopies;
import io.sluice.source.ItemSink;
import io.sluice.source.RecordingCopies;
import io.sluice.source.RequestListener;
import io.sluice.source.Source;
import io.sluice.source.SourceException;
import io.sluice.source.SourceState;
import io.sluice.source.Sources;
import io.sluice.testing.DuckDbQueries;
import io.sluice.testing.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL table whose columns PostgreSQL writes as text the destinations read as the typed rows' values is copied
 * through COPY into the load package, and lands exactly as its typed rows would: every copied type, with the values
 * where text and the parsers could differ, loaded both ways into a real DuckDB file and a real PostgreSQL dataset and
 * compared value by value; a timestamp outside the copied years, a column the spec declares and a type not copied make
 * the rows come as typed rows.
 */
class PostgresCopiedRowsTest {
    private static final String SCHEMA = "sql_copied_test";
    private static final String SECRET = "pg-copied";
    private static final Map<String, String> SECRETS = Map.of(SECRET, PostgresServer.PASSWORD);
    private static final String COLUMNS = """
            id bigint PRIMARY KEY, small smallint, whole int, numbered serial, ratio double precision, single real, paid boolean,
            note text, code varchar(10), fixed char(4), ref uuid, placed_at timestamptz, local_at timestamp, amount numeric(12,2),
            precise numeric(38,10), day date""";
    private static final String VALUES = """
            (1, 7, -2147483648, DEFAULT, 0.1, 0.1, true, 'say "hi", then' || chr(10) || 'leave', '00501', 'ab',
             'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-05-01 10:00:00.123456+02', '2024-05-01 10:00:00.5', 1234567890.12, 1.5, '2024-02-29'),
            (2, NULL, NULL, DEFAULT, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
            (3, -32768, 2147483647, DEFAULT, '-0', '1e-38', false, '', '', '', NULL, '0001-01-01 00:00:00+00', '9999-12-31 23:59:59.999999',
             -0.01, -1234567890123456789012345678.0123456789, '0001-01-01'),
            (4, 0, 0, DEFAULT, 'NaN', 'NaN', NULL, ' padded ', 'a,b', 'x"y', NULL, '2024-02-29 23:59:59+00', NULL, 0, 0, '9999-12-31'),
            (5, 1, 1, DEFAULT, 'Infinity', '-Infinity', true, 'naïve ☃ 𝄞', E'\\\\.', 'z', NULL, NULL, '1970-01-01 00:00:00', 9999999999.99,
             0.0000000001, NULL),
            (6, 2, 2, DEFAULT, 1e308, 3.4e38, false, E'back\\\\slash \\\\N', 'NULL', NULL, NULL, '2024-01-01 00:00:00-05:30', NULL, 1.50, 12, '1970-01-01'),
            (7, 3, 3, DEFAULT, 5e-324, 1.17549435e-38, true, '2024-05-01 10:00:00', '"', NULL, NULL, NULL, NULL, NULL, 9999999999999999999999999999, '2024-05-01')""";
    /** Transforms that change nothing, which make the run read every row as an item. */
    private static final String AS_ITEMS = "transforms: [ { resource: %s, drop: { columns: [no_such_field] } } ]";

    @TempDir
    Path data;

    @BeforeAll
    static void tables() {
        PostgresServer.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        PostgresServer.execute("CREATE SCHEMA " + SCHEMA);
        PostgresServer.execute("CREATE TABLE " + SCHEMA + ".typed (" + COLUMNS + ")");
        PostgresServer.execute("INSERT INTO " + SCHEMA + ".typed VALUES " + VALUES);
        PostgresServer.execute("CREATE TABLE " + SCHEMA + ".beyond (id bigint, placed_at timestamptz)");
        PostgresServer.execute("INSERT INTO " + SCHEMA + ".beyond SELECT g, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 day'"
                + " FROM generate_series(1, 5000) g");
        PostgresServer.execute("INSERT INTO " + SCHEMA + ".beyond VALUES (5001, '0044-03-15 00:00:00+00 BC'), (5002, '10000-01-01 00:00:00+00'),"
                + " (5003, NULL)");
        PostgresServer.execute("CREATE TABLE " + SCHEMA + ".beyond_dates (id bigint, day date)");
        PostgresServer.execute("INSERT INTO " + SCHEMA + ".beyond_dates SELECT g, date '2024-01-01' + g FROM generate_series(1, 5000) g");
        PostgresServer.execute("INSERT INTO " + SCHEMA + ".beyond_dates VALUES (5001, '0044-03-15 BC'), (5002, '10000-01-01'), (5003, NULL)");
        PostgresServer.execute("CREATE TABLE " + SCHEMA + ".not_a_number (id bigint, amount numeric(5,2))");
        PostgresServer.execute("INSERT INTO " + SCHEMA + ".not_a_number SELECT g, g / 100.0 FROM generate_series(1, 5000) g");
        PostgresServer.execute("INSERT INTO " + SCHEMA + ".not_a_number VALUES (5001, 'NaN')");
    }

    @Test
    void everyCopiedTypeLandsInDuckDbAsItsTypedRowsWouldAppendedAndMerged() throws Exception {
        for (String disposition : List.of("APPEND", "MERGE")) {
            String copiedInto = "copied-" + disposition.toLowerCase();
            String itemsInto = "items-" + disposition.toLowerCase();
            loadedBothWays("typed", ", write_disposition: " + disposition + ", primary_key: [id]", duckDb(copiedInto), duckDb(itemsInto));

            assertTrue(copied("typed"), disposition + ": the rows were copied");
            String columns = "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'raw'"
                    + " ORDER BY table_name, ordinal_position";
            assertEquals(DuckDbQueries.rows(data.resolve(itemsInto + ".duckdb"), columns),
                    DuckDbQueries.rows(data.resolve(copiedInto + ".duckdb"), columns), disposition + ": the columns, their types and order");
            String rows = "SELECT * EXCLUDE (_sluice_load_id) FROM raw.typed ORDER BY id";
            List<List<String>> loaded = DuckDbQueries.rows(data.resolve(copiedInto + ".duckdb"), rows);
            assertEquals(DuckDbQueries.rows(data.resolve(itemsInto + ".duckdb"), rows), loaded, disposition + ": every value, the row ids too");
            assertEquals(7, loaded.size());
        }
    }

    @Test
    void everyCopiedTypeLandsInPostgresAsItsTypedRowsWould() throws Exception {
        PostgresServer.dropDataset("copied_rows");
        PostgresServer.dropDataset("item_rows");
        loadedBothWays("typed", "", PostgresServer.destination(SECRET, "copied_rows"), PostgresServer.destination(SECRET, "item_rows"));

        assertTrue(copied("typed"), "the rows were copied");
        String columns = "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '%s' AND table_name = 'typed'"
                + " ORDER BY ordinal_position";
        assertEquals(PostgresServer.rows(columns.formatted("item_rows")), PostgresServer.rows(columns.formatted("copied_rows")),
                "the columns, their types and order");
        String rows = "SELECT id, small, whole, numbered, ratio, single, paid, note, code, fixed, ref, placed_at, local_at, amount, precise, day,"
                + " _sluice_id"
                + " FROM %s.typed";
        assertEquals(List.of(), PostgresServer.rows("(" + rows.formatted("copied_rows") + " EXCEPT ALL " + rows.formatted("item_rows")
                + ") UNION ALL (" + rows.formatted("item_rows") + " EXCEPT ALL " + rows.formatted("copied_rows") + ")"),
                "every value, the row ids too");
        assertEquals(7, PostgresServer.count("SELECT count(*) FROM copied_rows.typed"));
    }

    /**
     * A timestamp or date of a year before 1 or after 9999 is no ISO timestamp or date, which the typed rows hand to the
     * table's contract: the copy under way is dropped when the first comes (here after 5,000 rows), and the rows come as
     * typed rows.
     */
    @Test
    void aTimestampOrDateOutsideTheCopiedYearsMakesTheRowsComeAsTypedRows() throws Exception {
        for (String table : List.of("beyond", "beyond_dates")) {
            loadedBothWays(table, "", duckDb("copied-" + table), duckDb("items-" + table));

            assertFalse(copied(table), table + ": nothing was copied");
            String rows = "SELECT * EXCLUDE (_sluice_load_id) FROM raw." + table + " ORDER BY ALL";
            assertEquals(DuckDbQueries.rows(data.resolve("items-" + table + ".duckdb"), rows),
                    DuckDbQueries.rows(data.resolve("copied-" + table + ".duckdb"), rows), table);
        }
    }

    /**
     * The source hands the rows over as copies, its rows' ids in front, in copies of about a part's size each, numbered on
     * across them; or as typed rows when the sink refuses them, when the spec declares a column, or a column's type is not
     * copied; a decimal's NaN, which the typed rows cannot read, fails the read as it fails theirs, its copy removed.
     */
    @Test
    void rowsAreHandedOverAsCopiesWithTheirIdsInFrontOrAsTypedRows() throws Exception {
        PostgresServer.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".wide AS SELECT g::bigint AS id, repeat('x', 300) AS filler"
                + " FROM generate_series(1, 150000) g");
        RecordingCopies copies = new RecordingCopies(data, true);
        AtomicLong bytes = new AtomicLong();
        List<Object> handed = extract("wide", "{ name: wide }", copies, bytes);
        assertEquals(List.of(), handed, "no row came as an item or typed row");
        assertTrue(copies.taken.size() >= 2, "150,000 rows of 300 bytes make more than one copy: " + copies.taken.size());
        assertEquals(150_000, copies.taken.stream().mapToLong(ScannedCsv::rows).sum());
        long row = 0;
        for (ScannedCsv copy : copies.taken) {
            assertEquals(List.of("id", "filler"), copy.fields());
            List<String> lines = Files.readAllLines(copy.copy(), StandardCharsets.UTF_8);
            assertEquals(copy.rows(), lines.size());
            assertEquals("id" + row + "," + (row + 1) + "," + "x".repeat(300), lines.getFirst(), "the row's id, then the row as COPY writes it");
            long last = row + copy.rows() - 1;
            assertEquals("id" + last + "," + (last + 1) + "," + "x".repeat(300), lines.getLast());
            row += copy.rows();
        }
        long ids = 0;
        for (long number = 0; number < row; number++) {
            ids += ("id" + number + ",").length();
        }
        long copied = 0;
        for (ScannedCsv copy : copies.taken) {
            copied += Files.size(copy.copy());
        }
        assertEquals(copied - ids, bytes.get(), "the bytes read are told as the rows come: the copies' without the ids");

        RecordingCopies refused = new RecordingCopies(data, false);
        assertEquals(7, extract("typed", "{ name: typed }", refused).size(), "refused copies: the rows as typed rows");
        assertTrue(refused.offered.stream().noneMatch(Files::exists), "the refused copies are removed");
        RecordingCopies declared = new RecordingCopies(data, true);
        assertEquals(7, extract("typed", "{ name: typed, columns: [ { name: small, data_type: TEXT } ] }", declared).size());
        assertEquals(List.of(), declared.offered, "a column the spec declares: no copy");
        RecordingCopies nan = new RecordingCopies(data, true);
        SourceException unreadable = assertThrows(SourceException.class, () -> extract("not_a_number", "{ name: not_a_number }", nan));
        assertTrue(unreadable.getMessage().contains("NaN"), "a decimal's NaN fails as the typed rows read it: " + unreadable.getMessage());
        assertEquals(1, nan.offered.size(), "copied until the NaN came");
        assertTrue(nan.offered.stream().noneMatch(Files::exists), "the copy is removed");
        PostgresServer.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".timed (id bigint, at_time time)");
        PostgresServer.execute("INSERT INTO " + SCHEMA + ".timed VALUES (1, '10:15:30')");
        RecordingCopies timed = new RecordingCopies(data, true);
        assertEquals(1, extract("timed", "{ name: timed }", timed).size());
        assertEquals(List.of(), timed.offered, "a time column: no copy");
    }

    /** A table gone between the listing and its copy is named as the typed rows name it, and no copy is left. */
    @Test
    void aTableThatDisappearsBeforeItsCopyIsNamed() {
        PostgresServer.execute("CREATE TABLE " + SCHEMA + ".fleeting (id bigint)");
        RecordingCopies copies = new RecordingCopies(data, true);
        SourceException gone = assertThrows(SourceException.class, () -> extract("fleeting", "{ name: fleeting }", copies,
                new AtomicLong(), () -> PostgresServer.execute("DROP TABLE " + SCHEMA + ".fleeting")));
        assertTrue(gone.getMessage().startsWith("cannot read table " + SCHEMA + ".fleeting of jdbc:postgresql://"), gone.getMessage());
        assertTrue(gone.getMessage().contains("does not exist"), gone.getMessage());
        assertTrue(copies.offered.stream().noneMatch(Files::exists), "no copy is left");
        assertEquals(List.of(), copies.taken);
    }

    /** The rows that reached the sink other than as copies. */
    private static List<Object> extract(String table, String resource, RecordingCopies copies) {
        return extract(table, resource, copies, new AtomicLong());
    }

    /** The rows that reached the sink other than as copies; {@code bytes} counts the bytes it was told were read. */
    private static List<Object> extract(String table, String resource, RecordingCopies copies, AtomicLong bytes) {
        return extract(table, resource, copies, bytes, () -> { });
    }

    /** As {@link #extract(String, String, RecordingCopies, AtomicLong)}, running {@code resolved} between listing and reading. */
    private static List<Object> extract(String table, String resource, RecordingCopies copies, AtomicLong bytes, Runnable resolved) {
        PipelineSpec spec = SqlSpecs.spec("sql-copied", url(), source("[ " + resource + " ]"));
        Source source = Sources.open(spec.source(), SECRETS::get, RequestListener.NONE);
        source.resolve(spec.source().resources());
        resolved.run();
        List<Object> rows = new ArrayList<>();
        source.extract(table, Optional.empty(), new SourceState(Optional.empty()), new ItemSink() {
            @Override
            public boolean item(Map<String, Object> item, Supplier<String> origin) {
                return rows.add(item);
            }

            @Override
            public Optional<CsvCopies> csvCopies() {
                return Optional.of(copies);
            }

            @Override
            public void rejected(Supplier<String> origin, String reason) {
                throw new AssertionError(origin.get() + " rejected: " + reason);
            }

            @Override
            public void bytesRead(long count) {
                bytes.addAndGet(count);
            }
        });
        return rows;
    }

    /**
     * Loads {@code table} (a resource of its name with {@code keys}) twice as load load-1, so that its rows get the same
     * ids: into {@code copiedInto} as the source hands it over (the package kept), and into {@code itemsInto} as items; both
     * count the same rows and rejected records. Only the package of this load is kept then.
     */
    private void loadedBothWays(String table, String keys, String copiedInto, String itemsInto) throws IOException {
        if (Files.exists(data.resolve("loaded"))) {
            try (Stream<Path> kept = Files.walk(data.resolve("loaded"))) {
                for (Path path : kept.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        RunSummary copied = PipelineRuns.runKeepingPackage(spec(table, keys, copiedInto, ""), data, SECRETS, "load-1");
        RunSummary items = PipelineRuns.run(spec(table, keys, itemsInto, AS_ITEMS.formatted(table)), data, SECRETS, 1, "load-1");
        assertEquals(items.tables(), copied.tables(), "rows and rejected records per table");
    }

    /** Whether the kept package of the pipeline reading {@code table} staged a copy of its rows. */
    private boolean copied(String table) throws IOException {
        try (Stream<Path> files = Files.walk(data.resolve("loaded"))) {
            return files.map(file -> file.getFileName().toString()).anyMatch(name -> name.startsWith(table + ".") && name.contains(".copy-"));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String duckDb(String name) {
        return "{ duckdb: { path: " + name + ".duckdb }, dataset: raw }";
    }

    private PipelineSpec spec(String table, String keys, String destination, String transforms) {
        String name = "copied-" + table.replace('_', '-') + "-" + Math.abs(destination.hashCode() % 1000) + (transforms.isEmpty() ? "" : "-items");
        return PipelineSpecs.toSpec(SpecReader.parse("""
                name: %s
                source:
                  sql_database:
                    url: "%s"
                %s
                destination: %s
                %s
                """.formatted(name, url(), source("[ { name: " + table + keys + " } ]").lines().map(line -> "    " + line)
                .reduce((a, b) -> a + "\n" + b).orElseThrow(), destination, transforms), name), name);
    }

    private static String url() {
        return "jdbc:postgresql://" + PostgresServer.HOST + ":" + PostgresServer.PORT + "/" + PostgresServer.DATABASE;
    }

    private static String source(String resources) {
        return "username: " + PostgresServer.USER + "\npassword_secret: " + SECRET + "\nschema: " + SCHEMA + "\nresources: " + resources;
    }
}
