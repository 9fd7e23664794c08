package io.sluice.load;

import static java.util.Objects.requireNonNull;

import java.util.Properties;

/**
 * How much of the machine DuckDB may use while it loads into a destination file: its memory limit (DuckDB's own
 * syntax, e.g. {@code 128MB}) and its worker threads. DuckDB's native memory counts in the process's RSS beside the
 * heap; its defaults (80% of the machine's memory, a thread per core) held up to 230 MiB for a 1,000,000-row load.
 */
public record DuckDbSettings(String memoryLimit, int threads) {
    /** DuckDB's share of a 1,000,000-row load fell from ~230 to ~100 MiB at the same CPU time (bench/RESULTS-perf.md). */
    public static final DuckDbSettings DEFAULT = new DuckDbSettings("128MB", 1);

    public DuckDbSettings {
        requireNonNull(memoryLimit, "memoryLimit is null");
        if (memoryLimit.isBlank()) {
            throw new IllegalArgumentException("memoryLimit is blank");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /** The settings as the driver takes them when it opens a file. */
    Properties properties() {
        Properties properties = new Properties();
        properties.setProperty("memory_limit", memoryLimit);
        properties.setProperty("threads", String.valueOf(threads));
        return properties;
    }
}
