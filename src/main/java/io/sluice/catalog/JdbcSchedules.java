package io.sluice.catalog;

import static io.sluice.catalog.CatalogSql.instant;
import static io.sluice.catalog.CatalogSql.micros;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Schedule marks and SCHEDULED runs in the catalog's SQL. */
final class JdbcSchedules implements ScheduleStore {
    private static final int MARK_ATTEMPTS = 3;

    private final CatalogSql sql;

    JdbcSchedules(CatalogSql sql) {
        this.sql = sql;
    }

    @Override
    public Map<String, Instant> marks(String pipeline) {
        record Mark(String schedule, Instant slot) {
        }
        return sql.query("SELECT schedule, last_slot_us FROM schedule_marks WHERE pipeline = ?", List.of(pipeline),
                row -> new Mark(row.getString(1), instant(row.getLong(2))), "the schedule marks of " + pipeline).stream()
                .collect(Collectors.toMap(Mark::schedule, Mark::slot));
    }

    @Override
    public List<String> duePipelines(Instant now, int most) {
        // Both sides of the join are narrow (a name and an etag): the specs of the pipelines not due are not read.
        return sql.query("SELECT COALESCE(p.name, d.pipeline) FROM (SELECT name, etag FROM pipelines) p"
                + " FULL OUTER JOIN schedule_due d ON d.pipeline = p.name"
                + " WHERE p.name IS NULL OR d.pipeline IS NULL OR d.etag <> p.etag OR d.due_us <= ?"
                + " ORDER BY d.due_us NULLS LAST LIMIT " + most, List.of(micros(now)), row -> row.getString(1), "the pipelines due");
    }

    @Override
    public void markDue(String pipeline, String etag, Optional<Instant> due) {
        sql.update("INSERT INTO schedule_due (pipeline, etag, due_us) VALUES (?, ?, ?) ON CONFLICT (pipeline)"
                + " DO UPDATE SET etag = excluded.etag, due_us = excluded.due_us", pipeline, etag, due.map(CatalogSql::micros).orElse(null));
    }

    @Override
    public void forgetDue(String pipeline) {
        sql.update("DELETE FROM schedule_due WHERE pipeline = ?", pipeline);
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
