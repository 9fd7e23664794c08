package io.sluice.load;

import io.sluice.schema.DataType;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The dataset's tables as the commit's transaction sees them, for the SQL that merges a load into them: names,
 * columns, and the statement to run that SQL with.
 */
final class CommitTables {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'")
            .withZone(ZoneOffset.UTC);

    private final SqlDestination destination;
    private final Statement statement;
    private final String catalog;
    private final String dataset;
    private final String loadId;

    CommitTables(SqlDestination destination, Statement statement, String catalog, String dataset, String loadId) {
        this.destination = destination;
        this.statement = statement;
        this.catalog = catalog;
        this.dataset = dataset;
        this.loadId = loadId;
    }

    void execute(String sql) throws SQLException {
        destination.connections().execute(statement, sql);
    }

    /** Whether the query, of one row and one boolean column, answers true. */
    boolean holds(String query) throws SQLException {
        return destination.connections().holds(statement, query);
    }

    /** The table's name as a statement spells it. */
    String name(String table) {
        return destination.qualified(catalog, dataset, table);
    }

    boolean exists(String table) throws SQLException {
        return destination.tableExists(statement.getConnection(), catalog, dataset, table);
    }

    /** The table's columns and their types; empty when there is no such table. */
    Map<String, DataType> columns(String table) throws SQLException {
        return destination.tables().columns(statement.getConnection(), catalog, dataset, table);
    }

    /** A condition true for the rows this load brought. */
    String ofThisLoad() {
        return quote(SqlDestination.LOAD_ID_COLUMN) + " = " + SqlDestination.literal(loadId);
    }

    /** A condition true for the rows earlier loads brought. */
    String stored() {
        return quote(SqlDestination.LOAD_ID_COLUMN) + " <> " + SqlDestination.literal(loadId);
    }

    /** A timestamp-with-time-zone literal both destinations read alike. */
    static String timestamp(Instant instant) {
        return "CAST(" + SqlDestination.literal(TIMESTAMP.format(instant)) + " AS TIMESTAMPTZ)";
    }

    static String quote(String identifier) {
        return SqlDestination.quote(identifier);
    }
}
