package io.sluice.runs;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The service's own settings (prefix {@code sluice}). */
@ConfigMapping(prefix = "sluice")
public interface SluiceConfig {
    /** Where load packages live, and what relative DuckDB destination paths resolve against. */
    @WithDefault("data")
    Path dataDir();

    Runs runs();

    /**
     * Secret values by name ({@code sluice.secret.pg-password=…}) for secrets given as config; a secret not here is
     * looked for in the environment ({@code SLUICE_SECRET_PG_PASSWORD}), then in {@code /run/secrets/pg-password}.
     */
    Map<String, String> secret();

    /**
     * Named limits by name ({@code sluice.limits.billing-api=2}): runs active at once, across the pipelines whose
     * {@code concurrency.limits} name it. A pipeline naming a limit not here is invalid.
     */
    Map<String, Integer> limits();

    Serve serve();

    Packages packages();

    DestinationPools destinationPools();

    Alerts alerts();

    DuckdbLoads duckdbLoads();

    Extract extract();

    interface Runs {
        /** Runs executing at once in this process; more wait PENDING for a slot. */
        @WithDefault("8")
        int maxActive();

        /** How often a run reports table progress. */
        @WithDefault("250ms")
        Duration progressInterval();

        /**
         * How long a cancelled run has to reach its next safe point (between pages, files, load jobs and packages)
         * before its work is cut and its thread interrupted; a commit under way is never cut.
         */
        @WithDefault("30s")
        Duration cancelGrace();

        /**
         * Whether runs execute on platform threads rather than virtual ones (see {@code RunExecutor.runThread}): set
         * by the one-shot commands, whose one run then leaves no thread in native code for the JVM's exit to wait on.
         */
        @WithDefault("false")
        boolean platformThreads();

        /** Events a slow watcher may fall behind by before its log lines are dropped (progress is coalesced). */
        @WithDefault("1000")
        int watchBacklog();

        Logs logs();

        History history();
    }

    /** Runs' log lines in the catalog: what the run's code logs and the run's own messages. */
    interface Logs {
        /** Log lines stored per run: the first ones; past them, one line says how many more were dropped. */
        @WithDefault("10000")
        int maxLinesPerRun();

        /** How long the log lines of a run that ended are kept, from its end (e.g. 30d). */
        @WithDefault("30d")
        Duration retention();
    }

    /** Runs that ended, kept for a while with their events and log lines; runs that have not ended are always kept. */
    interface History {
        /** How long a run that ended is kept, from its end. */
        @WithDefault("90d")
        Duration retention();

        /** How often the server deletes what is past its retention. */
        @WithDefault("1h")
        Duration cleanupInterval();
    }

    interface Packages {
        /**
         * Whether a committed load package is kept under {@code <data-dir>/loaded}, for inspection, instead of being
         * removed. A package that failed to load is always kept, and resumed by the next run.
         */
        @WithDefault("false")
        boolean keepCommitted();
    }

    /**
     * Connection pools of PostgreSQL destinations, one per server, database and user; DuckDB files are not pooled, but
     * kept open a little after use.
     */
    interface DestinationPools {
        /** Connections at most per pool; a load holds one for its whole transaction. */
        @WithDefault("8")
        int maxSize();

        /** How long an unused connection stays open. */
        @WithDefault("5m")
        Duration idleTimeout();

        /**
         * How long a DuckDB destination file stays open after its last use, so back-to-back runs into it do not each open
         * and checkpoint it; another process can open the file once it has closed (0s closes it at once).
         */
        @WithDefault("1s")
        Duration duckdbKeepOpen();

        /**
         * How much a table's files in one load must hold together before PostgreSQL copies them on several connections
         * at once: below it, opening the connections takes longer than the copies save (at 2,000 rows in 2 files, 0.05 s
         * more; at a million rows in 4 files, 0.5 s less).
         */
        @WithDefault("16M")
        MemorySize parallelCopyFrom();
    }

    interface Serve {
        /** Pipeline files (a directory or one file) applied when {@code sluice serve} starts. */
        Optional<Path> pipelines();
    }

    /** How alerts are sent (README "Alerts"); e-mail goes through the mail server configured as {@code quarkus.mailer.*}. */
    interface Alerts {
        /** Tries in all to send one alert, the first included, before it is given up (and recorded on the run). */
        @WithDefault("3")
        int attempts();

        /** The wait before the second try; it doubles before each later one. */
        @WithDefault("2s")
        Duration backoff();

        /** How long one try may take: connecting, sending and the answer. */
        @WithDefault("10s")
        Duration timeout();
    }

    /**
     * What DuckDB may use while it loads into destination files (its native memory counts beside the heap): the process
     * attaches every file to one DuckDB database, so these hold for all loads at once. DuckDB spills what it can to
     * {@code duckdb.tmp} in the data directory; a staged file of long lines raises the memory limit by itself while
     * DuckDB reads it, and a load that runs out of memory is committed again with twice the most memory its try could
     * use, up to 4 times.
     */
    interface DuckdbLoads {
        /** DuckDB's {@code memory_limit}, in its syntax (e.g. 32MB, 2GB), shared by every destination file loading at once. */
        @WithDefault("12MB")
        String memoryLimit();

        /**
         * DuckDB's {@code threads}, shared by every destination file loading at once (a load also works on its own thread).
         * Each reads with buffers of its own: two ran out of memory at 32MB on 1,000,000 CSV rows, so raise the memory
         * limit with them.
         */
        @WithDefault("1")
        int threads();
    }

    /** How a run reads its resources. */
    interface Extract {
        /**
         * Workers that read and normalize the parts (files) of one resource at once; 1 reads them one after another on
         * the resource's thread. By default as many as the machine has cores.
         */
        OptionalInt workers();

        /** {@link #workers}, or the number of cores when it is not set. */
        default int workersOrCores() {
            return workers().orElse(Runtime.getRuntime().availableProcessors());
        }
    }
}
