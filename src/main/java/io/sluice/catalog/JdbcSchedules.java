package io.sluice.catalog;

import static io.sluice.catalog.CatalogSql.instant;
import static io.sluice.catalog.CatalogSql.micros;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Schedule marks and SCHEDULED runs in the catalog's SQL. */
final class JdbcSchedules implements ScheduleStore {
    private static final int MARK_ATTEMPTS = 3;

    private final CatalogSql sql;

    JdbcSchedules(CatalogSql sql) {
        this.sql = sql;
    }

    @Override
    public Map<String, Map<String, Instant>> marks() {
        record Mark(String pipeline, String schedule, Instant slot) {
        }
        Map<String, Map<String, Instant>> marks = new HashMap<>();
        sql.query("SELECT pipeline, schedule, last_slot_us FROM schedule_marks", List.of(),
                row -> new Mark(row.getString(1), row.getString(2), instant(row.getLong(3))), "the schedule marks")
                .forEach(mark -> marks.computeIfAbsent(mark.pipeline(), pipeline -> new HashMap<>()).put(mark.schedule(), mark.slot()));
        return marks;
    }

    @Override
    public boolean holdTickTerm(String holder, Instant now, Duration term) {
        long end = micros(now.plus(term));
        // Renewed only once half the term is gone: a write on every one-second tick would cost a commit each.
        boolean heldLong = sql.query("SELECT 1 FROM scheduler_term WHERE id = 'scheduler' AND holder = ? AND end_us >= ? AND end_us <= ?",
                List.of(holder, micros(now.plus(term.dividedBy(2))), end), row -> row.getInt(1), "the scheduler's term").size() == 1;
        if (heldLong) {
            return true;
        }
        try {
            // Renew our own term, or take over one that ended, else start the first term there ever was. A term that
            // ends more than a term from now was set by a clock ahead of ours (or one moved back): it is taken over too,
            // once, rather than leaving schedules unticked until that clock's time comes.
            return sql.update("UPDATE scheduler_term SET holder = ?, end_us = ? WHERE id = 'scheduler'"
                    + " AND (holder = ? OR end_us < ? OR end_us > ?)", holder, end, holder, micros(now), end) > 0
                    || sql.update("INSERT INTO scheduler_term (id, holder, end_us) VALUES ('scheduler', ?, ?) ON CONFLICT (id) DO NOTHING",
                            holder, end) > 0;
        } catch (CatalogException conflict) {
            // DuckDB fails the second of two schedulers writing the row at once (PostgreSQL makes it wait): it lost.
            return false;
        }
    }

    @Override
    public void releaseTickTerm(String holder) {
        sql.update("DELETE FROM scheduler_term WHERE id = 'scheduler' AND holder = ?", holder);
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
