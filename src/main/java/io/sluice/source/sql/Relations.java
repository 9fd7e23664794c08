package io.sluice.source.sql;

import io.sluice.pipeline.SqlDatabaseSourceSpec.SqlResource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;

/** Finds what each resource reads: the SELECT for its table or query, and the types of its columns, asked of the database. */
final class Relations {
    private Relations() {
    }

    /**
     * @throws SQLException when the table is not there or the query is not valid SQL: the caller names the resource
     */
    static Relation of(Connection connection, Dialect dialect, String schema, SqlResource resource) throws SQLException {
        String select;
        if (resource.table().isPresent()) {
            String table = resource.table().get();
            String columns = resource.includedColumns().isEmpty() ? "*"
                    : resource.includedColumns().stream().map(dialect::quote).collect(Collectors.joining(", "));
            select = "SELECT " + columns + " FROM " + dialect.quote(schema) + "." + dialect.quote(table);
        } else {
            // A trailing semicolon ends a statement, which a subquery cannot hold.
            select = resource.query().orElseThrow().strip().replaceFirst(";+$", "");
        }
        try (Statement statement = connection.createStatement();
             ResultSet none = statement.executeQuery("SELECT * FROM (" + select + ") AS sluice_rows WHERE 1 = 0")) {
            return new Relation(resource, describe(schema, resource), select, ColumnTypes.of(none.getMetaData()));
        }
    }

    /** What the description of {@code resource} would be: for messages before its relation is known. */
    static String describe(String schema, SqlResource resource) {
        return resource.table().map(table -> "table " + schema + "." + table).orElse("the query of resource " + resource.name());
    }

    /**
     * The resource with its columns declared as the database types them; a column the spec declares keeps what the
     * spec says, and takes the database's type where the spec gives none.
     */
    static SqlResource typed(Relation relation) {
        SqlResource resource = relation.resource();
        return resource.withHints(TypedRows.declaring(resource.hints(), relation.columns().stream().map(SqlColumn::hint).toList()));
    }
}
