package io.sluice.source.sql;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** What differs between the databases the source reads: the driver, quoting, where tables are listed, how rows stream. */
enum Dialect {
    POSTGRESQL("\""),
    MARIADB("`"),
    DUCKDB("\"");

    private static final String[] TABLE_TYPES = {"TABLE", "VIEW", "BASE TABLE"};

    private final String quote;

    Dialect(String quote) {
        this.quote = quote;
    }

    /** The dialect of a JDBC URL the spec mapper accepted. */
    static Dialect of(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        if (url.startsWith("jdbc:duckdb:")) {
            return DUCKDB;
        }
        throw new IllegalArgumentException("not a JDBC URL of PostgreSQL, MariaDB, MySQL or DuckDB");
    }

    /** Opens a connection with the driver itself, so that no class loader needs to find it. */
    Connection connect(String url, Properties properties) throws SQLException {
        return switch (this) {
            case POSTGRESQL -> postgres(url, binaryRows(properties));
            // The MariaDB driver reads MySQL servers too, under its own scheme.
            case MARIADB -> connect(new org.mariadb.jdbc.Driver(), url.replaceFirst("^jdbc:mysql:", "jdbc:mariadb:"), properties);
            case DUCKDB -> {
                // Read only: the file may be another process's, and a source never writes.
                Properties readOnly = new Properties();
                readOnly.putAll(properties);
                readOnly.setProperty("duckdb.read_only", "true");
                yield connect(new org.duckdb.DuckDBDriver(), url, readOnly);
            }
        };
    }

    /**
     * A PostgreSQL connection whose login cannot wait forever: pgjdbc's connect timeout covers the TCP connect alone, so a
     * server that accepts and never answers would hold the login (and the platform thread it runs on, see
     * {@link DatabaseCall}) for good. The login's reads time out as the connect does (pgjdbc's 10 s unless the URL
     * says); once in, reads wait as long as a query takes, unless the URL sets its own {@code socketTimeout}.
     */
    private static Connection postgres(String url, Properties properties) throws SQLException {
        Properties fromUrl = org.postgresql.Driver.parseURL(url, null);
        boolean urlTimesReads = fromUrl != null && fromUrl.getProperty("socketTimeout") != null;
        Properties login = new Properties();
        login.putAll(properties);
        if (!urlTimesReads) {
            login.setProperty("socketTimeout", fromUrl == null ? "10" : fromUrl.getProperty("connectTimeout", "10"));
        }
        Connection connection = connect(new org.postgresql.Driver(), url, login);
        if (!urlTimesReads) {
            connection.setNetworkTimeout(Runnable::run, 0);
        }
        return connection;
    }

    /**
     * Asks PostgreSQL for its rows in binary from the first query on: numbers and timestamps cost neither the server's
     * formatting nor the driver's parsing (reading a million rows took 40% less time). Types read as text keep their
     * text form: dates, times, numerics (a wide one is kept as its digits) and geometry. The URL's own settings win.
     */
    private static Properties binaryRows(Properties properties) {
        Properties binary = new Properties();
        binary.putAll(properties);
        binary.setProperty("prepareThreshold", "-1");
        binary.setProperty("binaryTransferDisable", "DATE,TIME,TIMETZ,NUMERIC,POINT,BOX");
        return binary;
    }

    private static Connection connect(Driver driver, String url, Properties properties) throws SQLException {
        Connection connection = driver.connect(url, properties);
        if (connection == null) {
            throw new SQLException("the driver does not take this URL", "08001");
        }
        return connection;
    }

    /**
     * Makes a statement stream its rows {@code chunkSize} at a time instead of holding them all: PostgreSQL keeps a
     * cursor on the server only inside a transaction, MariaDB streams whenever a fetch size is set, DuckDB always does.
     */
    void stream(Connection connection, Statement statement, int chunkSize) throws SQLException {
        switch (this) {
            case POSTGRESQL -> connection.setAutoCommit(false);
            case MARIADB, DUCKDB -> {
            }
        }
        statement.setFetchSize(chunkSize);
    }

    /**
     * Asks the database to stop the query {@code statement} runs on {@code connection}, on a connection of the driver's
     * own. PostgreSQL's and MariaDB's {@code Statement.cancel} do nothing once the query has returned its first rows
     * (the query still runs on the server while later rows are streamed), so their connection's cancel is used: it
     * stops the query whatever it is doing.
     */
    void cancel(Connection connection, Statement statement) throws SQLException {
        switch (this) {
            case POSTGRESQL -> connection.unwrap(org.postgresql.PGConnection.class).cancelQuery();
            case MARIADB -> connection.unwrap(org.mariadb.jdbc.Connection.class).cancelCurrentQuery();
            case DUCKDB -> statement.cancel();
        }
    }

    /** The schema a spec without one reads: where the connection's unqualified names go. */
    String defaultSchema(Connection connection) throws SQLException {
        String schema = switch (this) {
            case POSTGRESQL, DUCKDB -> connection.getSchema();
            case MARIADB -> connection.getCatalog();
        };
        if (schema == null) {
            throw new SQLException("the connection has no default schema: set source.sql_database.schema");
        }
        return schema;
    }

    /** The tables and views of {@code schema}, as {@link DatabaseMetaData#getTables} lists them (name in TABLE_NAME). */
    ResultSet tables(DatabaseMetaData metaData, String schema) throws SQLException {
        return switch (this) {
            // MariaDB calls its databases catalogs.
            case MARIADB -> metaData.getTables(schema, null, "%", TABLE_TYPES);
            case POSTGRESQL, DUCKDB -> metaData.getTables(null, schema, "%", TABLE_TYPES);
        };
    }

    /** An identifier as the database reads it literally, whatever its case or characters. */
    String quote(String identifier) {
        return quote + identifier.replace(quote, quote + quote) + quote;
    }
}
