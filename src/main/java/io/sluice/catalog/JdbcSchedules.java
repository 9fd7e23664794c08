package io.sluice.catalog;

import static io.sluice.catalog.CatalogSql.instant;
import static io.sluice.catalog.CatalogSql.micros;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Schedule marks and SCHEDULED runs in the catalog's SQL. */
final class JdbcSchedules implements ScheduleStore {
    private static final int MARK_ATTEMPTS = 3;

    private final CatalogSql sql;

    JdbcSchedules(CatalogSql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<Instant> lastSlot(String pipeline, String schedule) {
        return sql.query("SELECT last_slot_us FROM schedule_marks WHERE pipeline = ? AND schedule = ?", List.of(pipeline, schedule),
                row -> instant(row.getLong(1)), "the mark of schedule " + schedule + " of pipeline " + pipeline).stream().findFirst();
    }

    @Override
    public void markHandled(String pipeline, String schedule, Instant slot) {
        // Two schedulers may insert a schedule's first mark at once: DuckDB fails the later one instead of updating,
        // and the row it then finds takes the update.
        for (int attempt = 1; ; attempt++) {
            try {
                upsertMark(pipeline, schedule, slot);
                return;
            } catch (CatalogException conflict) {
                if (attempt == MARK_ATTEMPTS) {
                    throw conflict;
                }
            }
        }
    }

    private void upsertMark(String pipeline, String schedule, Instant slot) {
        sql.update("INSERT INTO schedule_marks (pipeline, schedule, last_slot_us) VALUES (?, ?, ?) ON CONFLICT (pipeline, schedule)"
                + " DO UPDATE SET last_slot_us = GREATEST(schedule_marks.last_slot_us, excluded.last_slot_us)",
                pipeline, schedule, micros(slot));
    }

    @Override
    public boolean claimScheduled(String runId, String owner) {
        return ifStillScheduled(runId, () -> sql.update("UPDATE runs SET state = ?, owner = ? WHERE id = ? AND state = ?",
                RunState.PENDING.name(), owner, runId, RunState.SCHEDULED.name()) > 0);
    }

    @Override
    public void discardScheduled(Run run) {
        ifStillScheduled(run.id(), () -> {
            if (sql.update("DELETE FROM runs WHERE id = ? AND state = ?", run.id(), RunState.SCHEDULED.name()) == 0) {
                return false;
            }
            sql.update("DELETE FROM run_requests WHERE pipeline = ? AND request_id = ? AND run_id = ?", run.pipeline(), run.requestId(),
                    run.id());
            return true;
        });
    }

    /**
     * A write to a SCHEDULED run that another process may be claiming at the same moment. DuckDB fails the second of two
     * concurrent writes to one row (PostgreSQL makes it wait, then matches no row): either way the loser gets false.
     */
    private boolean ifStillScheduled(String runId, BooleanSupplier write) {
        try {
            return write.getAsBoolean();
        } catch (CatalogException conflict) {
            boolean scheduled = !sql.query("SELECT 1 FROM runs WHERE id = ? AND state = ?", List.of(runId, RunState.SCHEDULED.name()),
                    row -> row.getInt(1), "run " + runId).isEmpty();
            if (scheduled) {
                throw conflict;
            }
            return false;
        }
    }
}
