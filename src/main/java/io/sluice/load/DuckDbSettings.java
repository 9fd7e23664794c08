package io.sluice.load;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * How much of the machine DuckDB may use while it loads into a destination file: its memory limit (DuckDB's own
 * syntax, e.g. {@code 128MB}) and its worker threads. DuckDB's native memory counts in the process's RSS beside the
 * heap; its defaults (80% of the machine's memory, a thread per core) held up to 230 MiB for a 1,000,000-row load.
 */
public record DuckDbSettings(String memoryLimit, int threads) {
    /** A size as DuckDB reads it ({@code 128MB}, {@code 1.5GiB}): it goes into a statement, so nothing else may. */
    private static final Pattern SIZE = Pattern.compile("[0-9]+(\\.[0-9]+)? ?[A-Za-z]{0,3}");
    /** DuckDB's share of a 1,000,000-row load fell from ~230 to ~100 MiB at the same CPU time (bench/RESULTS-perf.md). */
    public static final DuckDbSettings DEFAULT = new DuckDbSettings("128MB", 1);

    public DuckDbSettings {
        requireNonNull(memoryLimit, "memoryLimit is null");
        if (!SIZE.matcher(memoryLimit).matches()) {
            throw new IllegalArgumentException("memoryLimit is not a size such as 128MB: " + memoryLimit);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
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
