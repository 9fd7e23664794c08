package io.sluice.catalog;

import static io.sluice.catalog.CatalogSql.micros;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Deletes old runs' history in the catalog's SQL. A run has ended when its state is terminal: its end time alone would
 * not do, as a run retried under its own id runs again after it once ended.
 */
final class JdbcRunHistory implements RunHistoryStore {
    private static final List<String> ENDED_STATES = Arrays.stream(RunState.values()).filter(RunState::isTerminal).map(Enum::name).toList();
    private static final String ENDED_RUNS = "SELECT id FROM runs WHERE end_time_us < ? AND state IN ("
            + String.join(", ", Collections.nCopies(ENDED_STATES.size(), "?")) + ")";

    private final CatalogSql sql;

    JdbcRunHistory(CatalogSql sql) {
        this.sql = sql;
    }

    @Override
    public int deleteLogLinesOfRunsEndedBefore(Instant time) {
        return sql.update("DELETE FROM run_logs WHERE run_id IN (" + ENDED_RUNS + ")", endedBefore(time));
    }

    /**
     * In one transaction, the runs last: a run is never left without the rows that belong to it. Its request ids go with
     * it, as an idempotency key is only kept as long as what it names.
     */
    @Override
    public int deleteRunsEndedBefore(Instant time) {
        Object[] values = endedBefore(time);
        try (Connection connection = sql.connection()) {
            connection.setAutoCommit(false);
            try {
                for (String table : List.of("run_logs", "run_events", "run_requests")) {
                    delete(connection, "DELETE FROM " + table + " WHERE run_id IN (" + ENDED_RUNS + ")", values);
                }
                int runs = delete(connection, "DELETE FROM runs WHERE id IN (" + ENDED_RUNS + ")", values);
                connection.commit();
                return runs;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new CatalogException("cannot delete the runs that ended before " + time + ": " + e.getMessage(), e);
        }
    }

    private static int delete(Connection connection, String statement, Object[] values) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(statement)) {
            CatalogSql.bind(delete, values);
            return delete.executeUpdate();
        }
    }

    private static Object[] endedBefore(Instant time) {
        List<Object> values = new ArrayList<>();
        values.add(micros(time));
        values.addAll(ENDED_STATES);
        return values.toArray();
    }
}
