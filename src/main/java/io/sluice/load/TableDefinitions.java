package io.sluice.load;

import static io.sluice.load.SqlDestination.quote;

import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The tables of a SQL destination as its catalog has them, and the DDL that changes them: creating a table from the
 * staged columns, adding and widening columns, emptying a table a load replaces.
 */
final class TableDefinitions {
    private final SqlDestination destination;

    TableDefinitions(SqlDestination destination) {
        this.destination = destination;
    }

    /** The table's columns and the schema type of each, in order; empty when there is no such table. */
    Map<String, DataType> columns(Connection connection, String catalog, String dataset, String table) throws SQLException {
        return destination.columns(connection, catalog, dataset, table);
    }

    /** Whether the table exists in the database the connection is in. */
    boolean exists(Connection connection, String dataset, String table) throws SQLException {
        return destination.tableExists(connection, SqlConnections.currentCatalog(connection), dataset, table);
    }

    /** Creates schema {@code schema} of database {@code catalog} unless it is there ({@link SqlDestination#schemaExists}). */
    void createSchema(Statement statement, String catalog, String schema) throws SQLException {
        if (!destination.schemaExists(statement.getConnection(), catalog, schema)) {
            execute(statement, "CREATE SCHEMA IF NOT EXISTS " + destination.schemaName(catalog, schema));
        }
    }

    /** Creates the table or adds and widens its columns; returns the type each staged column is read as. */
    Map<String, DataType> prepare(Connection connection, Statement statement, String catalog, String dataset, String table,
                                  List<Column> columns) throws SQLException {
        Map<String, DataType> existing = columns(connection, catalog, dataset, table);
        String qualified = destination.qualified(catalog, dataset, table);
        Map<String, DataType> target = new LinkedHashMap<>();
        if (existing.isEmpty()) {
            create(statement, qualified, columns);
            columns.forEach(column -> target.put(column.name(), column.type()));
            return target;
        }
        for (Column column : columns) {
            DataType current = existing.get(column.name());
            if (current == null) {
                execute(statement, "ALTER TABLE " + qualified + " ADD COLUMN " + definition(column));
                target.put(column.name(), column.type());
                continue;
            }
            DataType widened = current.widen(column.type());
            if (widened != current) {
                String type = destination.sqlType(column.withType(widened));
                // USING names the conversion: PostgreSQL refuses to change a type without one when no implicit cast exists.
                execute(statement, "ALTER TABLE " + qualified + " ALTER COLUMN " + quote(column.name()) + " SET DATA TYPE " + type
                        + " USING " + quote(column.name()) + "::" + type);
            }
            target.put(column.name(), widened);
        }
        return target;
    }

    /** Empties a table the load replaces, inside the commit, the way its strategy says. */
    void replace(Statement statement, String table, LoadPackage.ReplacedTable replaced) throws SQLException {
        switch (replaced.strategy()) {
            case TRUNCATE_AND_INSERT -> execute(statement, destination.truncate(table));
            case INSERT_FROM_STAGING -> execute(statement, "DELETE FROM " + table);
            case STAGING_OPTIMIZED -> {
                execute(statement, "DROP TABLE " + table);
                create(statement, table, replaced.columns());
            }
        }
    }

    /**
     * Creates {@code table} (a qualified name) with {@code columns}, each stored as the destination says, and the load id
     * every row carries.
     */
    private void create(Statement statement, String table, List<Column> columns) throws SQLException {
        StringBuilder definitions = new StringBuilder();
        Function<Column, String> storage = destination.storage(statement.getConnection());
        for (Column column : columns) {
            definitions.append(definition(column)).append(storage.apply(column)).append(", ");
        }
        execute(statement, "CREATE TABLE " + table + " (" + definitions + quote(SqlDestination.LOAD_ID_COLUMN) + " VARCHAR NOT NULL)");
    }

    private String definition(Column column) {
        return quote(column.name()) + " " + destination.sqlType(column) + (column.nullable() ? "" : " NOT NULL");
    }

    private void execute(Statement statement, String sql) throws SQLException {
        destination.connections().execute(statement, sql);
    }
}
