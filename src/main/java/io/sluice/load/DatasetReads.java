package io.sluice.load;

import io.sluice.pipeline.PipelineState;
import io.sluice.schema.Schema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What a SQL destination's datasets hold, read outside any load: the stored schema and its history, the pipeline
 * state, whether a load was committed, the first rows of a table. A dataset nothing was loaded into yet reads as
 * empty.
 */
final class DatasetReads {
    private final SqlDestination destination;

    DatasetReads(SqlDestination destination) {
        this.destination = destination;
    }

    Schema storedSchema(String pipeline, String dataset) {
        return bookkeeping(dataset, BookkeepingTables.VERSIONS, latestSchema(pipeline), Schema.empty(pipeline));
    }

    PipelineState storedState(String pipeline, String dataset) {
        return bookkeeping(dataset, PipelineStateTable.NAME, latestState(pipeline), PipelineState.EMPTY);
    }

    /**
     * The schema and the state together, through one connection: a run reads both before it extracts, and opening a
     * DuckDB file (and checkpointing it as the connection closes) costs more than the two queries.
     */
    StoredPipeline storedPipeline(String pipeline, String dataset) {
        StoredPipeline empty = StoredPipeline.empty(pipeline);
        return destination.connections().read(connection -> new StoredPipeline(
                bookkeeping(connection, dataset, BookkeepingTables.VERSIONS, latestSchema(pipeline), empty.schema()),
                bookkeeping(connection, dataset, PipelineStateTable.NAME, latestState(pipeline), empty.state())), empty);
    }

    List<SchemaVersionRecord> schemaHistory(String pipeline, String dataset) {
        return bookkeeping(dataset, BookkeepingTables.VERSIONS, (tables, connection) -> tables.history(connection, pipeline), List.of());
    }

    boolean committed(String dataset, String loadId) {
        return bookkeeping(dataset, BookkeepingTables.LOADS, (tables, connection) -> tables.committed(connection, loadId), false);
    }

    private interface BookkeepingRead<T> {
        T apply(BookkeepingTables tables, Connection connection) throws SQLException;
    }

    private static BookkeepingRead<Schema> latestSchema(String pipeline) {
        return (tables, connection) -> tables.latestSchema(connection, pipeline);
    }

    private static BookkeepingRead<PipelineState> latestState(String pipeline) {
        return (tables, connection) -> tables.state().latest(connection, pipeline);
    }

    /** Reads the dataset's bookkeeping tables; {@code absent} while {@code table}, the one read, does not exist. */
    private <T> T bookkeeping(String dataset, String table, BookkeepingRead<T> read, T absent) {
        return destination.connections().read(connection -> bookkeeping(connection, dataset, table, read, absent), absent);
    }

    private <T> T bookkeeping(Connection connection, String dataset, String table, BookkeepingRead<T> read, T absent)
            throws SQLException {
        String catalog = SqlConnections.currentCatalog(connection);
        BookkeepingTables tables = new BookkeepingTables(destination, catalog, dataset);
        return destination.readTable(connection, catalog, dataset, table, reading -> read.apply(tables, reading), absent);
    }

    TablePreview preview(String dataset, String table, int limit) {
        return destination.connections().read(connection -> {
            if (!destination.tables().exists(connection, dataset, table)) {
                throw new LoadException("table " + dataset + "." + table + " does not exist in " + destination.location(), false, null);
            }
            try (Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT * FROM " + destination.qualified(connection, dataset, table)
                         + " LIMIT " + limit)) {
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    columns.add(result.getMetaData().getColumnName(i));
                }
                List<List<Object>> rows = new ArrayList<>();
                while (result.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(result.getObject(i));
                    }
                    rows.add(row);
                }
                return new TablePreview(columns, rows);
            }
        }, null);
    }
}
