package io.sluice.load;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import org.duckdb.DuckDBDriver;

/**
 * A DuckDB file takes one writer at a time: runs of this process that load into the same file take turns. Opening
 * and closing connections to a file take turns too: the driver shares one database per file among its connections,
 * made by the first and shut by the last, and a thread that makes it while another makes or shuts it fails
 * ("Unique file handle conflict").
 */
final class DuckDbFiles {
    private static final ConcurrentMap<Path, ReentrantLock> WRITERS = new ConcurrentHashMap<>();
    private static final ConcurrentMap<Path, ReentrantLock> OPENERS = new ConcurrentHashMap<>();

    private DuckDbFiles() {
    }

    /**
     * A connection to the file's database, opened and (when closed) closed while no other is. The settings apply when
     * the file's database is made, by its first connection.
     */
    static Connection connect(Path file, DuckDbSettings settings) throws SQLException {
        ReentrantLock opener = OPENERS.computeIfAbsent(file, ignored -> new ReentrantLock());
        Connection connection;
        opener.lock();
        try {
            // The driver directly, not DriverManager, which only sees drivers of the caller's class loader.
            connection = new DuckDBDriver().connect("jdbc:duckdb:" + file, settings.properties());
        } finally {
            opener.unlock();
        }
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, arguments) -> {
                    boolean closing = method.getName().equals("close");
                    if (closing) {
                        opener.lock();
                    }
                    try {
                        return method.invoke(connection, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (closing) {
                            opener.unlock();
                        }
                    }
                });
    }

    static ReentrantLock writerLock(Path file) {
        return WRITERS.computeIfAbsent(file, ignored -> new ReentrantLock(true));
    }
}
