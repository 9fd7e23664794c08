package io.sluice.catalog;

import static io.sluice.catalog.CatalogSql.instant;
import static io.sluice.catalog.CatalogSql.micros;

import io.sluice.catalog.CatalogSql.Write;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Schedule marks and SCHEDULED runs in the catalog's SQL. */
final class JdbcSchedules implements ScheduleStore {
    private static final int ROWS_PER_STATEMENT = 500;

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
        sql.update("INSERT INTO schedule_due (pipeline, etag, due_us) VALUES (?, ?, ?) ON CONFLICT (pipeline)"
                + " DO UPDATE SET etag = excluded.etag, due_us = excluded.due_us", pipeline, etag, due.map(CatalogSql::micros).orElse(null));
    }

    @Override
    public void forgetDue(String pipeline) {
        sql.update("DELETE FROM schedule_due WHERE pipeline = ?", pipeline);
    }

    @Override
    public void storeLooks(List<ScheduleLook> looks, String owner) {
        if (looks.isEmpty()) {
            return;
        }
        // A statement per kind of row, each for all the looks' rows: row by row, DuckDB took ~50 ms a pipeline.
        List<Object[]> marks = looks.stream().flatMap(look -> look.marks().entrySet().stream()
                .map(mark -> new Object[] {look.pipeline(), mark.getKey(), micros(mark.getValue())})).toList();
        List<Run> forecast = looks.stream().flatMap(look -> look.forecast().stream()).toList();
        List<Run> discarded = looks.stream().flatMap(look -> look.discarded().stream()).toList();
        List<Object[]> due = looks.stream().filter(look -> look.etag().isPresent())
                .map(look -> new Object[] {look.pipeline(), look.etag().get(), look.due().map(CatalogSql::micros).orElse(null)}).toList();
        List<String> gone = looks.stream().filter(look -> look.etag().isEmpty()).map(ScheduleLook::pipeline).toList();
        sql.writeInTransaction(statements -> {
            for (List<Object[]> chunk : chunks(marks)) {
                statements.execute(CatalogSql.rows("INSERT INTO schedule_marks (pipeline, schedule, last_slot_us)", chunk,
                        " ON CONFLICT (pipeline, schedule) DO UPDATE SET last_slot_us = GREATEST(schedule_marks.last_slot_us,"
                                + " excluded.last_slot_us)"));
            }
            forecast(statements, forecast, owner);
            discard(statements, discarded);
            for (List<Object[]> chunk : chunks(due)) {
                statements.execute(CatalogSql.rows("INSERT INTO schedule_due (pipeline, etag, due_us)", chunk,
                        " ON CONFLICT (pipeline) DO UPDATE SET etag = excluded.etag, due_us = excluded.due_us"));
            }
            for (List<String> chunk : chunks(gone)) {
                statements.execute(new Write("DELETE FROM schedule_due WHERE pipeline IN (" + CatalogSql.placeholders(chunk.size()) + ")",
                        chunk.toArray()));
            }
        });
    }

    /**
     * Stores the SCHEDULED runs whose request ids were free: a slot run already (or forecast by another scheduler) is
     * not forecast again.
     */
    private static void forecast(CatalogSql.Statements statements, List<Run> runs, String owner) throws SQLException {
        Set<String> took = new HashSet<>();
        for (List<Run> chunk : chunks(runs)) {
            took.addAll(statements.returning(CatalogSql.rows("INSERT INTO run_requests (pipeline, request_id, run_id)",
                    chunk.stream().map(run -> new Object[] {run.pipeline(), run.requestId(), run.id()}).toList(),
                    " ON CONFLICT (pipeline, request_id) DO NOTHING RETURNING run_id"), row -> row.getString(1)));
        }
        List<Object[]> stored = runs.stream().filter(run -> took.contains(run.id())).map(run -> {
            Object[] values = RunRows.values(run);
            Object[] withOwner = Arrays.copyOf(values, values.length + 1);
            withOwner[values.length] = owner;
            return withOwner;
        }).toList();
        for (List<Object[]> chunk : chunks(stored)) {
            statements.execute(CatalogSql.rows("INSERT INTO runs (" + RunRows.COLUMNS + ", owner)", chunk, ""));
        }
    }

    /** Removes SCHEDULED runs and their request ids, except those another process claimed (no longer SCHEDULED). */
    private static void discard(CatalogSql.Statements statements, List<Run> runs) throws SQLException {
        for (List<Run> chunk : chunks(runs)) {
            List<Object> values = new ArrayList<>(List.of(RunState.SCHEDULED.name()));
            chunk.forEach(run -> values.add(run.id()));
            List<String> removed = statements.returning(new Write("DELETE FROM runs WHERE state = ? AND id IN ("
                    + CatalogSql.placeholders(chunk.size()) + ") RETURNING id", values.toArray()), row -> row.getString(1));
            if (!removed.isEmpty()) {
                statements.execute(new Write("DELETE FROM run_requests WHERE run_id IN (" + CatalogSql.placeholders(removed.size()) + ")",
                        removed.toArray()));
            }
        }
    }

    /** Rows in statements of at most {@value #ROWS_PER_STATEMENT}: PostgreSQL takes at most 65,535 parameters in one. */
    private static <T> List<List<T>> chunks(List<T> rows) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            chunks.add(rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT)));
        }
        return chunks;
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

    @Override
    public Set<String> claimScheduled(Collection<String> runIds, String owner) {
        if (runIds.isEmpty()) {
            return Set.of();
        }
        List<Object> values = new ArrayList<>(List.of(RunState.PENDING.name(), owner, RunState.SCHEDULED.name()));
        values.addAll(runIds);
        Set<String> claimed = new HashSet<>();
        sql.writeInTransaction(statements -> claimed.addAll(statements.returning(new Write("UPDATE runs SET state = ?, owner = ?"
                + " WHERE state = ? AND id IN (" + CatalogSql.placeholders(runIds.size()) + ") RETURNING id", values.toArray()),
                row -> row.getString(1))));
        return claimed;
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
