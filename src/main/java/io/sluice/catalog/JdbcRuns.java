package io.sluice.catalog;

import static io.sluice.catalog.CatalogSql.micros;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** Runs in the catalog's SQL, with their owners, and their request ids kept unique per pipeline in {@code run_requests}. */
final class JdbcRuns implements RunStore {
    /** How often a run insert that met a concurrent one with its request id tries again, when that one did not commit. */
    private static final int REQUEST_ID_RACES = 50;

    private final CatalogSql sql;

    JdbcRuns(CatalogSql sql) {
        this.sql = sql;
    }

    @Override
    public Run insertRun(Run run, String owner, List<StoredEvent> events) {
        SQLException lost = null;
        for (int race = 0; race < REQUEST_ID_RACES; race++) {
            try {
                insertRunOnce(run, owner, events);
                return run;
            } catch (SQLException e) {
                lost = e;
            }
            if (!run.requestId().isEmpty()) {
                Optional<Run> first = runByRequestId(run.pipeline(), run.requestId());
                if (first.isPresent()) {
                    return first.get();
                }
            }
            if (run.requestId().isEmpty() || run(run.id()).isPresent()) {
                break;
            }
            // The run that holds the request id has not committed (or rolled back) yet: ask again shortly.
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new CatalogException("cannot store run " + run.id() + " of pipeline " + run.pipeline() + ": " + lost.getMessage(), lost);
    }

    /** The run, its request id and its events, in one transaction: a request id the pipeline used already fails it. */
    private void insertRunOnce(Run run, String owner, List<StoredEvent> events) throws SQLException {
        sql.inTransaction(connection -> {
            if (!run.requestId().isEmpty()) {
                try (PreparedStatement request = connection.prepareStatement(
                        "INSERT INTO run_requests (pipeline, request_id, run_id) VALUES (?, ?, ?)")) {
                    CatalogSql.bind(request, new Object[] {run.pipeline(), run.requestId(), run.id()});
                    request.executeUpdate();
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO runs (" + RunRows.COLUMNS
                    + ", owner, resumed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                Object[] values = RunRows.values(run);
                Object[] withOwner = Arrays.copyOf(values, values.length + 2);
                withOwner[values.length] = owner;
                withOwner[values.length + 1] = run.resumedBy();
                CatalogSql.bind(insert, withOwner);
                insert.executeUpdate();
            }
            CatalogSql.execute(connection, events.stream().map(JdbcRunEvents::insert).toList());
        });
    }

    @Override
    public void updateRun(Run run) {
        sql.update(UPDATE + " WHERE id = ?", updateValues(run));
    }

    @Override
    public void storeRunChanges(Optional<Run> changed, List<StoredEvent> events, List<StoredLogLine> logLines) {
        sql.updateAll(Stream.of(changed.map(run -> new CatalogSql.Write(UPDATE + " WHERE id = ?", updateValues(run))).stream(),
                events.stream().map(JdbcRunEvents::insert), logLines.stream().map(JdbcRunLogs::insert)).flatMap(write -> write).toList());
    }

    @Override
    public boolean reopenRun(Run reopened, RunState from, String owner) {
        Object[] values = updateValues(reopened);
        Object[] conditional = Arrays.copyOf(values, values.length + 2);
        // The owner goes first among the values: the statement sets it before its WHERE.
        System.arraycopy(values, 0, conditional, 1, values.length);
        conditional[0] = owner;
        conditional[values.length + 1] = from.name();
        return sql.update("UPDATE runs SET owner = ?, " + UPDATE.substring("UPDATE runs SET ".length()) + " WHERE id = ? AND state = ?",
                conditional) > 0;
    }

    private static final String UPDATE = "UPDATE runs SET pipeline = ?, state = ?, trigger_kind = ?, request_id = ?, create_time_us = ?,"
            + " start_time_us = ?, end_time_us = ?, error = ?, attempt = ?, summary = ?, refresh = ?, pending_reason = ?";

    /** The values of {@link #UPDATE}, then the run's id. */
    private static Object[] updateValues(Run run) {
        Object[] values = RunRows.values(run);
        Object[] shifted = new Object[values.length];
        System.arraycopy(values, 1, shifted, 0, values.length - 1);
        shifted[values.length - 1] = run.id();
        return shifted;
    }

    @Override
    public boolean markResumed(String runId, String resumedBy) {
        return sql.update("UPDATE runs SET resumed_by = ? WHERE id = ?", resumedBy, runId) > 0;
    }

    @Override
    public Optional<Run> run(String id) {
        return query("WHERE id = ?", List.of(id), 1).stream().findFirst();
    }

    @Override
    public Optional<Run> runByRequestId(String pipeline, String requestId) {
        return query("WHERE id = (SELECT run_id FROM run_requests WHERE pipeline = ? AND request_id = ?)",
                List.of(pipeline, requestId), 1).stream().findFirst();
    }

    @Override
    public Page<Run> runs(RunFilter filter, int pageSize, String pageToken) {
        NewestFirst listing = new NewestFirst("create_time_us").equal("pipeline", filter.pipeline());
        if (!filter.states().isEmpty()) {
            listing.condition("state IN (" + CatalogSql.placeholders(filter.states().size()) + ")",
                    filter.states().stream().map(Enum::name).sorted().toArray());
        }
        return listing.between(filter.createdAfter(), filter.createdBefore()).page(pageSize, pageToken, this::query,
                run -> new PageTokens.Position(micros(run.createTime()), run.id()));
    }

    @Override
    public List<OwnedRun> unfinishedRuns() {
        List<String> states = Arrays.stream(RunState.values()).filter(state -> !state.isTerminal()).map(Enum::name).toList();
        return sql.query("SELECT " + RunRows.COLUMNS + ", resumed_by, owner FROM runs WHERE state IN (" + CatalogSql.placeholders(states.size())
                        + ") ORDER BY create_time_us", states,
                row -> new OwnedRun(RunRows.read(row), Objects.requireNonNullElse(row.getString(15), "")), "the unfinished runs");
    }

    private List<Run> query(String where, List<?> values, int limit) {
        return sql.query("SELECT " + RunRows.COLUMNS + ", resumed_by FROM runs " + where + " LIMIT " + limit, values,
                RunRows::read, "runs");
    }
}
