package io.sluice.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Runs the catalog's statements in the SQL that DuckDB and PostgreSQL both speak. Times are stored as microseconds
 * since the epoch, which both store and order exactly.
 */
final class CatalogSql {
    private final DataSource dataSource;

    CatalogSql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Reads one row into a value. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** A statement that writes, with its values. */
    record Write(String sql, Object... values) {
        Write {
            Objects.requireNonNull(sql, "sql is null");
            Objects.requireNonNull(values, "values is null");
        }
    }

    /** @return how many rows the statement changed */
    int update(String sql, Object... values) {
        try (Connection connection = connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, values);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new CatalogException("catalog write failed: " + e.getMessage(), e);
        }
    }

    /** Work on one connection, in a transaction. */
    @FunctionalInterface
    interface Transaction {
        void apply(Connection connection) throws SQLException;
    }

    /** Runs the work in one transaction on a connection of its own: it commits, or it rolls back and throws. */
    void inTransaction(Transaction work) throws SQLException {
        try (Connection connection = connection()) {
            connection.setAutoCommit(false);
            try {
                work.apply(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /**
     * The writes in one transaction: all of them or none, and one commit — one flush of the catalog's log — instead of
     * one per write, which is most of what a catalog write costs. Writes of one statement share its preparation. No
     * writes, no transaction.
     */
    void updateAll(List<Write> writes) {
        if (writes.isEmpty()) {
            return;
        }
        writeInTransaction(statements -> statements.executeAll(writes));
    }

    /** Writes made one after the other in one transaction, a later one maybe depending on what an earlier one changed. */
    @FunctionalInterface
    interface Writing {
        void apply(Statements statements) throws SQLException;
    }

    /** Runs the writes in one transaction, with one commit; a failure rolls all of them back and throws. */
    void writeInTransaction(Writing writing) {
        try {
            inTransaction(connection -> {
                try (Statements statements = new Statements(connection)) {
                    writing.apply(statements);
                }
            });
        } catch (SQLException e) {
            throw new CatalogException("catalog write failed: " + e.getMessage(), e);
        }
    }

    /** The writes on the connection, in its transaction; writes of one statement share its preparation. */
    static void execute(Connection connection, List<Write> writes) throws SQLException {
        try (Statements statements = new Statements(connection)) {
            statements.executeAll(writes);
        }
    }

    /** The statements of one transaction, each prepared once however often it is executed. */
    static final class Statements implements AutoCloseable {
        private final Connection connection;
        private final Map<String, PreparedStatement> prepared = new HashMap<>();

        private Statements(Connection connection) {
            this.connection = connection;
        }

        /** @return how many rows the write changed */
        int execute(Write write) throws SQLException {
            return statement(write).executeUpdate();
        }

        void executeAll(List<Write> writes) throws SQLException {
            for (Write write : writes) {
                execute(write);
            }
        }

        /** A write that returns rows ({@code RETURNING …}), read into values. */
        <T> List<T> returning(Write write, RowReader<T> reader) throws SQLException {
            List<T> found = new ArrayList<>();
            try (ResultSet result = statement(write).executeQuery()) {
                while (result.next()) {
                    found.add(reader.read(result));
                }
            }
            return found;
        }

        private PreparedStatement statement(Write write) throws SQLException {
            PreparedStatement statement = prepared.get(write.sql());
            if (statement == null) {
                statement = connection.prepareStatement(write.sql());
                prepared.put(write.sql(), statement);
            }
            bind(statement, write.values());
            return statement;
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement statement : prepared.values()) {
                statement.close();
            }
        }
    }

    /** @param what what is read, for the error: "cannot read " + what */
    <T> List<T> query(String sql, List<?> values, RowReader<T> reader, String what) {
        try (Connection connection = connection(); PreparedStatement query = connection.prepareStatement(sql)) {
            bind(query, values.toArray());
            List<T> found = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    found.add(reader.read(result));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new CatalogException("cannot read " + what, e);
        }
    }

    static void bind(PreparedStatement statement, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            switch (values[i]) {
                case null -> statement.setNull(i + 1, java.sql.Types.BIGINT);
                case String text -> statement.setString(i + 1, text);
                case Long number -> statement.setLong(i + 1, number);
                case Integer number -> statement.setInt(i + 1, number);
                default -> throw new IllegalArgumentException("cannot bind " + values[i].getClass());
            }
        }
    }

    /**
     * One statement that writes many rows, {@code into} followed by a row of parameter marks for each row, then
     * {@code then} (e.g. {@code ON CONFLICT …}): a catalog writes a set of rows in one go much faster than row by row.
     */
    static Write rows(String into, List<Object[]> rows, String then) {
        String row = "(" + placeholders(rows.getFirst().length) + ")";
        return new Write(into + " VALUES " + String.join(", ", Collections.nCopies(rows.size(), row)) + then,
                rows.stream().flatMap(Arrays::stream).toArray());
    }

    /** {@code count} parameter marks, for a statement's {@code IN (…)}. */
    static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    static long micros(Instant time) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, time);
    }

    static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
