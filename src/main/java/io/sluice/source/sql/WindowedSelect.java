package io.sluice.source.sql;

import io.sluice.pipeline.CursorValue;
import io.sluice.pipeline.IncrementalSpec;
import io.sluice.pipeline.IncrementalSpec.LastValueFunction;
import io.sluice.source.IncrementalWindow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SELECT that reads a resource in a run: its rows, only those in the incremental window when the cursor is a column
 * of them, in the cursor's order when the spec gives a row order. Window bounds are parameters, never text in the SQL.
 * Rows whose cursor is NULL are read too: the engine rejects them by name, rather than the WHERE dropping them unseen.
 */
final class WindowedSelect {
    private WindowedSelect() {
    }

    static PreparedStatement prepare(Connection connection, Dialect dialect, Relation relation, Optional<IncrementalWindow> window)
            throws SQLException {
        Optional<IncrementalSpec> incremental = relation.resource().incremental();
        Optional<SqlColumn> cursor = incremental.filter(spec -> spec.cursorPath().size() == 1)
                .flatMap(spec -> relation.column(spec.cursorPath().getFirst()));
        StringBuilder sql = new StringBuilder("SELECT * FROM (").append(relation.select()).append(") AS sluice_rows");
        List<CursorValue> bounds = new ArrayList<>();
        if (cursor.isPresent() && window.isPresent() && (window.get().start().isPresent() || window.get().end().isPresent())) {
            String column = "sluice_rows." + dialect.quote(cursor.get().name());
            boolean upwards = window.get().lastValueFunction() == LastValueFunction.MAX;
            List<String> conditions = new ArrayList<>();
            window.get().start().ifPresent(start -> {
                conditions.add(column + (upwards ? " >= ?" : " <= ?"));
                bounds.add(start);
            });
            window.get().end().ifPresent(end -> {
                conditions.add(column + (upwards ? " < ?" : " > ?"));
                bounds.add(end);
            });
            sql.append(" WHERE ").append(column).append(" IS NULL OR (").append(String.join(" AND ", conditions)).append(')');
        }
        if (cursor.isPresent() && incremental.get().rowOrder().isPresent()) {
            sql.append(" ORDER BY sluice_rows.").append(dialect.quote(cursor.get().name())).append(switch (incremental.get().rowOrder().get()) {
                case ASC -> " ASC";
                case DESC -> " DESC";
            });
        }
        PreparedStatement statement = connection.prepareStatement(sql.toString());
        try {
            for (int i = 0; i < bounds.size(); i++) {
                CursorParameter.bind(statement, i + 1, bounds.get(i), cursor.orElseThrow().kind());
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }
}
