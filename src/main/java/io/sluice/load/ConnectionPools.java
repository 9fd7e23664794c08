package io.sluice.load;

import static java.util.Objects.requireNonNull;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.sluice.pipeline.PostgresDestinationSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.postgresql.Driver;

/**
 * Agroal connection pools of the PostgreSQL destinations, made on first use and closed together when the service
 * stops. A pool is keyed by server, database and user, and by a digest of the password too: a pool made with the
 * right password must never let a spec with a wrong one in, so a wrong password still fails, naming server and user.
 * Connections are checked as they are borrowed, so one the server dropped while idle (a restart) is replaced, not
 * handed to a load; one that failed with a connection error is closed rather than pooled again.
 *
 * <p>DuckDB files are not pooled (see {@link DuckDbDestination}), but may be kept attached a little after use (see
 * {@link DuckDbFiles}); they are detached, and the DuckDB database they were attached to closed, with the pools.
 */
public final class ConnectionPools implements AutoCloseable {
    /** How long a pool's first use waits for the connection {@link #warm} is opening, at most. */
    private static final Duration WARM_WAIT = Duration.ofSeconds(30);
    /** How the server lists the connections: as Sluice's. */
    private static final String APPLICATION_NAME = "sluice";
    /** Run on each new connection: a timestamp without an offset means UTC wherever the service runs. */
    private static final String INITIAL_SQL = "SET TIME ZONE 'UTC'";

    private final int maxSize;
    private final Duration idleTimeout;
    private final Duration duckDbKeepOpen;
    private final long parallelCopyFrom;
    private final Map<Key, AgroalDataSource> pools = new ConcurrentHashMap<>();
    /** The first connection of a pool being opened ahead of its first use ({@link #warm}), until that use. */
    private final Map<Key, Thread> warming = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Whose connections a pool holds; the password only as a digest, so that the key can be shown safely. */
    record Key(String host, int port, String database, String user, String passwordDigest) {
        Key {
            requireNonNull(host, "host is null");
            requireNonNull(database, "database is null");
            requireNonNull(user, "user is null");
            requireNonNull(passwordDigest, "passwordDigest is null");
        }
    }

    /**
     * @param maxSize connections at most per pool (a load holds one for its whole transaction)
     * @param idleTimeout how long an unused connection stays open
     */
    public ConnectionPools(int maxSize, Duration idleTimeout) {
        this(maxSize, idleTimeout, Duration.ZERO);
    }

    /** @param duckDbKeepOpen how long a DuckDB destination file stays open after its last use (zero: closed with it) */
    public ConnectionPools(int maxSize, Duration idleTimeout, Duration duckDbKeepOpen) {
        this(maxSize, idleTimeout, duckDbKeepOpen, 0);
    }

    /**
     * @param parallelCopyFrom the bytes a table's files in one load must hold together for a PostgreSQL destination to
     *                         copy them on several connections at once (0: whenever there are several)
     */
    public ConnectionPools(int maxSize, Duration idleTimeout, Duration duckDbKeepOpen, long parallelCopyFrom) {
        if (parallelCopyFrom < 0) {
            throw new IllegalArgumentException("parallelCopyFrom must not be negative, got " + parallelCopyFrom);
        }
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1, got " + maxSize);
        }
        if (duckDbKeepOpen.isNegative()) {
            throw new IllegalArgumentException("duckDbKeepOpen must not be negative, got " + duckDbKeepOpen);
        }
        this.maxSize = maxSize;
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout is null");
        this.duckDbKeepOpen = duckDbKeepOpen;
        this.parallelCopyFrom = parallelCopyFrom;
    }

    /** The bytes a table's files in one load must hold together to be copied into PostgreSQL on several connections. */
    long parallelCopyFrom() {
        return parallelCopyFrom;
    }

    /** How long a DuckDB destination file stays open after its last use. */
    Duration duckDbKeepOpen() {
        return duckDbKeepOpen;
    }

    /**
     * The pool of connections to a PostgreSQL destination as its user with this password (or none). When its first
     * connection is being opened ahead ({@link #warm}), waits until it is open (or has failed): a second one opened at
     * the same time would cost the handshake twice.
     */
    DataSource postgres(PostgresDestinationSpec spec, Optional<String> password) {
        Key key = key(spec, password);
        Thread opening = warming.remove(key);
        if (opening != null) {
            try {
                opening.join(WARM_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return pool(key, spec, password);
    }

    /**
     * Opens the first connection of a PostgreSQL destination's pool on a thread of its own and keeps it in the pool, so
     * that a one-shot run's handshake with the server (and the driver's classes loading) overlaps the catalog's start
     * rather than following it: 0.1–0.15 s of a run into PostgreSQL. A connection that fails is forgotten; the run's own
     * attempt then fails as it would have, with its retries.
     */
    void warm(PostgresDestinationSpec spec, Optional<String> password) {
        Key key = key(spec, password);
        if (pools.containsKey(key)) {
            return;
        }
        // A platform thread, as a one-shot run's own (see RunExecutor.runThread): a virtual thread's socket would keep the
        // JDK's poller in native code, which the JVM's exit waits for.
        warming.computeIfAbsent(key, ignored -> Thread.ofPlatform().daemon().name("sluice-warm-" + spec.host()).start(() -> {
            try (Connection connection = pool(key, spec, password).getConnection()) {
                connection.getMetaData();
            } catch (SQLException | RuntimeException e) {
                // The run's own use of the pool reports it.
            }
        }));
    }

    private DataSource pool(Key key, PostgresDestinationSpec spec, Optional<String> password) {
        if (closed) {
            throw new IllegalStateException("connection pools are closed: the service is stopping");
        }
        return pools.computeIfAbsent(key, ignored -> create(spec, password));
    }

    private static Key key(PostgresDestinationSpec spec, Optional<String> password) {
        return new Key(spec.host(), spec.port(), spec.database(), spec.username(), password.map(ConnectionPools::digest).orElse(""));
    }

    /** Pools made so far: one per server, database, user and password. */
    int size() {
        return pools.size();
    }

    @Override
    public void close() {
        closed = true;
        pools.values().forEach(AgroalDataSource::close);
        pools.clear();
        DuckDbFiles.closeAllKept();
    }

    /**
     * New connections to a PostgreSQL destination as its user with this password, outside its pool: each opened when
     * asked for, as the pool opens its own, and closed by whoever asked.
     */
    static PostgresDestination.NewConnections unpooled(PostgresDestinationSpec spec, Optional<String> password) {
        String url = jdbcUrl(spec);
        Properties properties = new Properties();
        properties.setProperty("user", spec.username());
        password.ifPresent(value -> properties.setProperty("password", value));
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        return () -> {
            Connection connection = new Driver().connect(url, properties);
            try (Statement statement = connection.createStatement()) {
                statement.execute(INITIAL_SQL);
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            return connection;
        };
    }

    private static String jdbcUrl(PostgresDestinationSpec spec) {
        String host = spec.host().contains(":") ? "[" + spec.host() + "]" : spec.host();
        return "jdbc:postgresql://" + host + ":" + spec.port() + "/" + spec.database();
    }

    private AgroalDataSource create(PostgresDestinationSpec spec, Optional<String> password) {
        AgroalDataSourceConfigurationSupplier configuration = new AgroalDataSourceConfigurationSupplier()
                .metricsEnabled(false)
                .connectionPoolConfiguration(pool -> pool
                        .minSize(0)
                        .initialSize(0)
                        .maxSize(maxSize)
                        .reapTimeout(idleTimeout)
                        .validateOnBorrow(true)
                        .connectionValidator(ConnectionValidator.defaultValidator())
                        .exceptionSorter(new PostgreSQLExceptionSorter())
                        .connectionFactoryConfiguration(factory -> {
                            factory.jdbcUrl(jdbcUrl(spec))
                                    // The driver class itself: DriverManager only sees drivers of the caller's class loader.
                                    .connectionProviderClass(Driver.class)
                                    .principal(new NamePrincipal(spec.username()))
                                    .jdbcProperty("ApplicationName", APPLICATION_NAME)
                                    .initialSql(INITIAL_SQL);
                            password.ifPresent(value -> factory.credential(new SimplePassword(value)));
                            return factory;
                        }));
        try {
            return AgroalDataSource.from(configuration);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot make a connection pool for " + spec.host() + ":" + spec.port(), e);
        }
    }

    private static String digest(String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
