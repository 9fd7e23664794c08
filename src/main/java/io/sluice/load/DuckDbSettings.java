package io.sluice.load;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much of the machine DuckDB may use while it loads into a destination file: its memory limit (DuckDB's own
 * syntax, e.g. {@code 128MB}) and its worker threads. DuckDB's native memory counts in the process's RSS beside the
 * heap; its defaults (80% of the machine's memory, a thread per core) held up to 230 MiB for a 1,000,000-row load.
 */
public record DuckDbSettings(String memoryLimit, int threads) {
    /** A size as DuckDB reads it ({@code 128MB}, {@code 1.5GiB}): it goes into a statement, so nothing else may. */
    private static final Pattern SIZE = Pattern.compile("([0-9]+(\\.[0-9]+)?) ?([A-Za-z]{1,3})");
    /** DuckDB's units: B, K(B), M(B), G(B), T(B) count in thousands, KiB to TiB in 1024s; any case. */
    private static final Map<String, Long> UNITS = Map.ofEntries(Map.entry("b", 1L),
            Map.entry("k", 1_000L), Map.entry("kb", 1_000L), Map.entry("kib", 1L << 10),
            Map.entry("m", 1_000_000L), Map.entry("mb", 1_000_000L), Map.entry("mib", 1L << 20),
            Map.entry("g", 1_000_000_000L), Map.entry("gb", 1_000_000_000L), Map.entry("gib", 1L << 30),
            Map.entry("t", 1_000_000_000_000L), Map.entry("tb", 1_000_000_000_000L), Map.entry("tib", 1L << 40));
    /**
     * DuckDB's share of a 1,000,000-row load fell from ~230 to ~100 MiB at the same CPU time with 128MB, by 65 MiB more
     * with 32MB once files of short lines were read in small buffers, by 7 MiB more with 24MB, by 7-10 MiB more with
     * 16MB once those buffers were 1 MiB (5-7% more time loading CSV files, none loading a PostgreSQL table's), and by 4
     * MiB more with 12MB (0-5% more time; a merge's more than an append's). Below that the time grows faster than the
     * saving: 8MB saved 4 MiB more for 15% more of a merge's load (bench/RESULTS-perf.md). A file of long lines raises
     * the limit while it is read, and a load that runs out of memory is committed again with more (DuckDbDestination).
     */
    public static final DuckDbSettings DEFAULT = new DuckDbSettings("12MB", 1);

    public DuckDbSettings {
        requireNonNull(memoryLimit, "memoryLimit is null");
        bytes(memoryLimit);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /** The memory limit in bytes. */
    long memoryLimitBytes() {
        return bytes(memoryLimit);
    }

    private static long bytes(String size) {
        Matcher matcher = SIZE.matcher(size);
        Long unit = matcher.matches() ? UNITS.get(matcher.group(3).toLowerCase(Locale.ROOT)) : null;
        if (unit == null) {
            throw new IllegalArgumentException("memoryLimit is not a size such as 32MB (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB): "
                    + size);
        }
        return (long) (Double.parseDouble(matcher.group(1)) * unit);
    }

    /**
     * Sets them on a connection. They are DuckDB's global settings, so they hold for the whole database the connection is
     * to: for destination files, the process's one database they are all attached to ({@link DuckDbInstance}), so the
     * memory limit is shared by every file loading at once.
     */
    void apply(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET memory_limit = '" + memoryLimit + "'");
            statement.execute("SET threads = " + threads);
        }
    }
}
