package io.sluice.catalog;

import static io.sluice.catalog.CatalogSql.instant;
import static io.sluice.catalog.CatalogSql.micros;

import java.sql.SQLException;
import java.time.Duration;
import io.sluice.catalog.CatalogSql.Write;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Schedule marks and SCHEDULED runs in the catalog's SQL. */
final class JdbcSchedules implements ScheduleStore {
    private final CatalogSql sql;

    JdbcSchedules(CatalogSql sql) {
        this.sql = sql;
    }

    @Override
    public Map<String, Map<String, Instant>> marks(Collection<String> pipelines) {
        record Mark(String pipeline, String schedule, Instant slot) {
        }
        if (pipelines.isEmpty()) {
            return Map.of();
        }
        return sql.query("SELECT pipeline, schedule, last_slot_us FROM schedule_marks WHERE pipeline IN ("
                        + CatalogSql.placeholders(pipelines.size()) + ")", List.copyOf(pipelines),
                row -> new Mark(row.getString(1), row.getString(2), instant(row.getLong(3))), "the schedule marks").stream()
                .collect(Collectors.groupingBy(Mark::pipeline, Collectors.toMap(Mark::schedule, Mark::slot)));
    }

    @Override
    public List<Run> scheduledRuns(Collection<String> pipelines) {
        if (pipelines.isEmpty()) {
            return List.of();
        }
        List<Object> values = new ArrayList<>(List.of(RunState.SCHEDULED.name()));
        values.addAll(pipelines);
        return sql.query("SELECT " + RunRows.COLUMNS + ", resumed_by FROM runs WHERE state = ? AND pipeline IN ("
                + CatalogSql.placeholders(pipelines.size()) + ")", values, RunRows::read, "the SCHEDULED runs");
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
    public Optional<Instant> nextDue(Instant now) {
        return sql.query("SELECT min(due_us) FROM schedule_due WHERE due_us > ?", List.of(micros(now)), row -> {
            long due = row.getLong(1);
            return row.wasNull() ? Optional.<Instant>empty() : Optional.of(instant(due));
        }, "when the schedules are next due").getFirst();
    }

    @Override
    public void markDue(String pipeline, String etag, Optional<Instant> due) {
        sql.updateAll(List.of(due(pipeline, etag, due)));
    }

    private static Write due(String pipeline, String etag, Optional<Instant> due) {
        return new Write("INSERT INTO schedule_due (pipeline, etag, due_us) VALUES (?, ?, ?) ON CONFLICT (pipeline)"
                + " DO UPDATE SET etag = excluded.etag, due_us = excluded.due_us", pipeline, etag, due.map(CatalogSql::micros).orElse(null));
    }

    @Override
    public void forgetDue(String pipeline) {
        sql.updateAll(List.of(forgotten(pipeline)));
    }

    private static Write forgotten(String pipeline) {
        return new Write("DELETE FROM schedule_due WHERE pipeline = ?", pipeline);
    }

    @Override
    public void storeLooks(List<ScheduleLook> looks, String owner) {
        if (looks.isEmpty()) {
            return;
        }
        sql.writeInTransaction(statements -> {
            for (ScheduleLook look : looks) {
                for (Map.Entry<String, Instant> mark : look.marks().entrySet()) {
                    statements.execute(new Write("INSERT INTO schedule_marks (pipeline, schedule, last_slot_us) VALUES (?, ?, ?)"
                            + " ON CONFLICT (pipeline, schedule)"
                            + " DO UPDATE SET last_slot_us = GREATEST(schedule_marks.last_slot_us, excluded.last_slot_us)",
                            look.pipeline(), mark.getKey(), micros(mark.getValue())));
                }
                for (Run run : look.forecast()) {
                    forecast(statements, run, owner);
                }
                for (Run run : look.discarded()) {
                    discard(statements, run);
                }
                statements.execute(look.etag().map(etag -> due(look.pipeline(), etag, look.due())).orElseGet(() -> forgotten(look.pipeline())));
            }
        });
    }

    /**
     * Stores a SCHEDULED run when its request id was free: a slot run already (or forecast by another scheduler) is not
     * forecast again.
     */
    private static void forecast(CatalogSql.Statements statements, Run run, String owner) throws SQLException {
        if (statements.execute(new Write("INSERT INTO run_requests (pipeline, request_id, run_id) VALUES (?, ?, ?)"
                + " ON CONFLICT (pipeline, request_id) DO NOTHING", run.pipeline(), run.requestId(), run.id())) == 0) {
            return;
        }
        Object[] values = RunRows.values(run);
        Object[] withOwner = Arrays.copyOf(values, values.length + 1);
        withOwner[values.length] = owner;
        statements.execute(new Write("INSERT INTO runs (" + RunRows.COLUMNS + ", owner) VALUES ("
                + CatalogSql.placeholders(withOwner.length) + ")", withOwner));
    }

    /** Removes a SCHEDULED run and its request id, unless another process claimed it (it is no longer SCHEDULED). */
    private static void discard(CatalogSql.Statements statements, Run run) throws SQLException {
        if (statements.execute(new Write("DELETE FROM runs WHERE id = ? AND state = ?", run.id(), RunState.SCHEDULED.name())) > 0) {
            statements.execute(new Write("DELETE FROM run_requests WHERE pipeline = ? AND request_id = ? AND run_id = ?", run.pipeline(),
                    run.requestId(), run.id()));
        }
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
    public boolean claimScheduled(String runId, String owner) {
        return ifStillScheduled(runId, () -> sql.update("UPDATE runs SET state = ?, owner = ? WHERE id = ? AND state = ?",
                RunState.PENDING.name(), owner, runId, RunState.SCHEDULED.name()) > 0);
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
