package io.sluice.catalog;

import static io.sluice.catalog.CatalogSql.instant;
import static io.sluice.catalog.CatalogSql.micros;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/** A run as a row of the {@code runs} table and back; its summary and refresh are stored as JSON. */
final class RunRows {
    /** The columns a run is written to, in the order of {@link #values}; reads add {@code resumed_by} after them. */
    static final String COLUMNS = "id, pipeline, state, trigger_kind, request_id, create_time_us, start_time_us,"
            + " end_time_us, error, attempt, summary, refresh, pending_reason";

    private RunRows() {
    }

    /** Reads {@link #COLUMNS} and then {@code resumed_by}. */
    static Run read(ResultSet result) throws SQLException {
        long start = result.getLong(7);
        boolean hasStart = !result.wasNull();
        long end = result.getLong(8);
        boolean hasEnd = !result.wasNull();
        String summary = result.getString(11);
        String refresh = result.getString(12);
        return new Run(
                result.getString(1),
                result.getString(2),
                RunState.valueOf(result.getString(3)),
                Trigger.valueOf(result.getString(4)),
                result.getString(5),
                instant(result.getLong(6)),
                hasStart ? Optional.of(instant(start)) : Optional.empty(),
                hasEnd ? Optional.of(instant(end)) : Optional.empty(),
                result.getString(9),
                result.getInt(10),
                summary == null ? Optional.empty() : Optional.of(CatalogJson.read(summary, RunSummary.class)),
                refresh == null ? Optional.empty() : Optional.of(CatalogJson.read(refresh, Refresh.class)),
                Objects.requireNonNullElse(result.getString(13), ""),
                Objects.requireNonNullElse(result.getString(14), ""));
    }

    /** The values of {@link #COLUMNS}. */
    static Object[] values(Run run) {
        return new Object[] {
            run.id(),
            run.pipeline(),
            run.state().name(),
            run.trigger().name(),
            run.requestId(),
            micros(run.createTime()),
            run.startTime().map(CatalogSql::micros).orElse(null),
            run.endTime().map(CatalogSql::micros).orElse(null),
            run.error(),
            run.attempt(),
            run.summary().map(CatalogJson::write).orElse(null),
            run.refresh().map(CatalogJson::write).orElse(null),
            run.pendingReason()
        };
    }
}
