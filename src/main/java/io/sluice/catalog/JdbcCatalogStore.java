package io.sluice.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The catalog in SQL that DuckDB and PostgreSQL both speak. Times are stored as microseconds since the epoch,
 * which both store and order exactly; run summaries as JSON.
 */
public final class JdbcCatalogStore implements CatalogStore {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final String RUN_COLUMNS = "id, pipeline, state, trigger_kind, request_id, create_time_us, start_time_us,"
            + " end_time_us, error, attempt, summary, refresh, pending_reason";
    /** How often a run insert that met a concurrent one with its request id tries again, when that one did not commit. */
    private static final int REQUEST_ID_RACES = 50;

    private final DataSource dataSource;

    public JdbcCatalogStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates the catalog tables that do not exist yet. */
    public void migrate() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS pipelines (name VARCHAR PRIMARY KEY, spec VARCHAR NOT NULL,"
                    + " etag VARCHAR NOT NULL, create_time_us BIGINT NOT NULL, update_time_us BIGINT NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS runs (id VARCHAR PRIMARY KEY, pipeline VARCHAR NOT NULL,"
                    + " state VARCHAR NOT NULL, trigger_kind VARCHAR NOT NULL, request_id VARCHAR NOT NULL,"
                    + " create_time_us BIGINT NOT NULL, start_time_us BIGINT, end_time_us BIGINT, error VARCHAR NOT NULL,"
                    + " attempt INTEGER NOT NULL, summary VARCHAR, refresh VARCHAR)");
            // Catalogs made before runs had a refresh.
            statement.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS refresh VARCHAR");
            // Catalogs made before a waiting run said why.
            statement.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS pending_reason VARCHAR");
            // Catalogs made before runs had owners and could be resumed by a later run.
            statement.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS owner VARCHAR");
            statement.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS resumed_by VARCHAR");
            // A request id is unique per pipeline by this table's key, not only under one process's lock. A table of its
            // own because an empty id is no request id, and DuckDB has no partial unique index.
            statement.execute("CREATE TABLE IF NOT EXISTS run_requests (pipeline VARCHAR NOT NULL, request_id VARCHAR NOT NULL,"
                    + " run_id VARCHAR NOT NULL, PRIMARY KEY (pipeline, request_id))");
            // Catalogs made before the table: their runs' request ids, the first run of each.
            statement.execute("INSERT INTO run_requests (pipeline, request_id, run_id)"
                    + " SELECT pipeline, request_id, min(id) FROM runs r WHERE request_id <> '' AND NOT EXISTS"
                    + " (SELECT 1 FROM run_requests q WHERE q.pipeline = r.pipeline AND q.request_id = r.request_id)"
                    + " GROUP BY pipeline, request_id");
            statement.execute("CREATE TABLE IF NOT EXISTS discarded_packages (pipeline VARCHAR NOT NULL, load_id VARCHAR NOT NULL,"
                    + " sealed_by_run VARCHAR NOT NULL, row_count BIGINT NOT NULL, tables VARCHAR NOT NULL, discarded_by VARCHAR NOT NULL,"
                    + " reason VARCHAR NOT NULL, discard_time_us BIGINT NOT NULL, PRIMARY KEY (pipeline, load_id))");
            statement.execute("CREATE TABLE IF NOT EXISTS run_events (run_id VARCHAR NOT NULL, sequence BIGINT NOT NULL,"
                    + " time_us BIGINT NOT NULL, kind VARCHAR NOT NULL, payload VARCHAR NOT NULL, PRIMARY KEY (run_id, sequence))");
        } catch (SQLException e) {
            throw new CatalogException("cannot create the catalog tables", e);
        }
    }

    @Override
    public void insertPipeline(PipelineRecord pipeline) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO pipelines (name, spec, etag, create_time_us, update_time_us) SELECT ?, ?, ?, ?, ?"
                             + " WHERE NOT EXISTS (SELECT 1 FROM pipelines WHERE name = ?)")) {
            insert.setString(1, pipeline.name());
            insert.setString(2, pipeline.specJson());
            insert.setString(3, pipeline.etag());
            insert.setLong(4, micros(pipeline.createTime()));
            insert.setLong(5, micros(pipeline.updateTime()));
            insert.setString(6, pipeline.name());
            if (insert.executeUpdate() == 0) {
                throw new AlreadyExistsException("pipeline '" + pipeline.name() + "' already exists");
            }
        } catch (SQLException e) {
            if (pipeline(pipeline.name()).isPresent()) {
                throw new AlreadyExistsException("pipeline '" + pipeline.name() + "' already exists");
            }
            throw new CatalogException("cannot store pipeline " + pipeline.name(), e);
        }
    }

    @Override
    public Optional<PipelineRecord> pipeline(String name) {
        List<PipelineRecord> found = queryPipelines("WHERE name = ?", List.of(name), 1);
        return found.stream().findFirst();
    }

    @Override
    public Page<PipelineRecord> pipelines(int pageSize, String pageToken) {
        String after = pageToken.isEmpty() ? "" : decode(pageToken);
        List<PipelineRecord> found = queryPipelines("WHERE name > ? ORDER BY name", List.of(after), pageSize + 1);
        if (found.size() <= pageSize) {
            return new Page<>(found, "");
        }
        List<PipelineRecord> page = found.subList(0, pageSize);
        return new Page<>(page, encode(page.getLast().name()));
    }

    @Override
    public boolean replacePipeline(PipelineRecord pipeline, String expectedEtag) {
        return update("UPDATE pipelines SET spec = ?, etag = ?, update_time_us = ? WHERE name = ? AND etag = ?",
                pipeline.specJson(), pipeline.etag(), micros(pipeline.updateTime()), pipeline.name(), expectedEtag) > 0;
    }

    @Override
    public boolean deletePipeline(String name) {
        return update("DELETE FROM pipelines WHERE name = ?", name) > 0;
    }

    @Override
    public Run insertRun(Run run, String owner) {
        SQLException lost = null;
        for (int race = 0; race < REQUEST_ID_RACES; race++) {
            try {
                insertRunOnce(run, owner);
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

    /** The run and its request id, in one transaction: a request id the pipeline used already fails it. */
    private void insertRunOnce(Run run, String owner) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!run.requestId().isEmpty()) {
                    try (PreparedStatement request = connection.prepareStatement(
                            "INSERT INTO run_requests (pipeline, request_id, run_id) VALUES (?, ?, ?)")) {
                        bind(request, new Object[] {run.pipeline(), run.requestId(), run.id()});
                        request.executeUpdate();
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO runs (" + RUN_COLUMNS
                        + ", owner, resumed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    Object[] values = runValues(run);
                    Object[] withOwner = Arrays.copyOf(values, values.length + 2);
                    withOwner[values.length] = owner;
                    withOwner[values.length + 1] = run.resumedBy();
                    bind(insert, withOwner);
                    insert.executeUpdate();
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    @Override
    public void updateRun(Run run) {
        Object[] values = runValues(run);
        Object[] shifted = new Object[values.length];
        System.arraycopy(values, 1, shifted, 0, values.length - 1);
        shifted[values.length - 1] = run.id();
        update("UPDATE runs SET pipeline = ?, state = ?, trigger_kind = ?, request_id = ?, create_time_us = ?,"
                + " start_time_us = ?, end_time_us = ?, error = ?, attempt = ?, summary = ?, refresh = ?,"
                + " pending_reason = ? WHERE id = ?", shifted);
    }

    @Override
    public boolean markResumed(String runId, String resumedBy) {
        return update("UPDATE runs SET resumed_by = ? WHERE id = ?", resumedBy, runId) > 0;
    }

    @Override
    public Optional<Run> run(String id) {
        return queryRuns("WHERE id = ?", List.of(id), 1).stream().findFirst();
    }

    @Override
    public Optional<Run> runByRequestId(String pipeline, String requestId) {
        return queryRuns("WHERE id = (SELECT run_id FROM run_requests WHERE pipeline = ? AND request_id = ?)",
                List.of(pipeline, requestId), 1).stream().findFirst();
    }

    @Override
    public Page<Run> runs(RunFilter filter, int pageSize, String pageToken) {
        List<String> conditions = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        filter.pipeline().ifPresent(pipeline -> {
            conditions.add("pipeline = ?");
            values.add(pipeline);
        });
        if (!filter.states().isEmpty()) {
            conditions.add("state IN (" + filter.states().stream().map(state -> "?").collect(Collectors.joining(", ")) + ")");
            filter.states().stream().map(Enum::name).sorted().forEach(values::add);
        }
        filter.createdAfter().ifPresent(time -> {
            conditions.add("create_time_us >= ?");
            values.add(micros(time));
        });
        filter.createdBefore().ifPresent(time -> {
            conditions.add("create_time_us < ?");
            values.add(micros(time));
        });
        if (!pageToken.isEmpty()) {
            String[] position = decode(pageToken).split("/", 2);
            long time;
            try {
                time = Long.parseLong(position[0]);
            } catch (NumberFormatException e) {
                throw new InvalidPageTokenException("page_token '" + pageToken + "' is not one this server issued");
            }
            if (position.length != 2) {
                throw new InvalidPageTokenException("page_token '" + pageToken + "' is not one this server issued");
            }
            conditions.add("(create_time_us < ? OR (create_time_us = ? AND id < ?))");
            values.add(time);
            values.add(time);
            values.add(position[1]);
        }
        String where = conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions);
        List<Run> found = queryRuns(where + " ORDER BY create_time_us DESC, id DESC", values, pageSize + 1);
        if (found.size() <= pageSize) {
            return new Page<>(found, "");
        }
        List<Run> page = found.subList(0, pageSize);
        Run last = page.getLast();
        return new Page<>(page, encode(micros(last.createTime()) + "/" + last.id()));
    }

    @Override
    public List<OwnedRun> unfinishedRuns() {
        List<Object> states = new ArrayList<>();
        for (RunState state : RunState.values()) {
            if (!state.isTerminal()) {
                states.add(state.name());
            }
        }
        String marks = states.stream().map(state -> "?").collect(Collectors.joining(", "));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT " + RUN_COLUMNS + ", resumed_by, owner FROM runs"
                     + " WHERE state IN (" + marks + ") ORDER BY create_time_us")) {
            bind(query, states.toArray());
            List<OwnedRun> found = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    String owner = result.getString(15);
                    found.add(new OwnedRun(run(result), owner == null ? "" : owner));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new CatalogException("cannot read the unfinished runs", e);
        }
    }

    @Override
    public void insertDiscardedPackage(DiscardedPackage discarded) {
        update("INSERT INTO discarded_packages (pipeline, load_id, sealed_by_run, row_count, tables, discarded_by, reason,"
                        + " discard_time_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", discarded.pipeline(), discarded.loadId(),
                discarded.sealedByRun(), discarded.rows(), writeTables(discarded.tables()), discarded.discardedBy(), discarded.reason(),
                micros(discarded.discardTime()));
    }

    @Override
    public List<DiscardedPackage> discardedPackages(String pipeline) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT pipeline, load_id, sealed_by_run, row_count, tables,"
                     + " discarded_by, reason, discard_time_us FROM discarded_packages WHERE pipeline = ?"
                     + " ORDER BY discard_time_us DESC, load_id DESC")) {
            query.setString(1, pipeline);
            List<DiscardedPackage> found = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    found.add(new DiscardedPackage(result.getString(1), result.getString(2), result.getString(3), result.getLong(4),
                            readTables(result.getString(5)), result.getString(6), result.getString(7), instant(result.getLong(8))));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new CatalogException("cannot read the discarded load packages of pipeline " + pipeline, e);
        }
    }

    @Override
    public void appendEvent(StoredEvent event) {
        update("INSERT INTO run_events (run_id, sequence, time_us, kind, payload) VALUES (?, ?, ?, ?, ?)",
                event.runId(), event.sequence(), micros(event.time()), event.kind(), event.payload());
    }

    @Override
    public List<StoredEvent> events(String runId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT run_id, sequence, time_us, kind, payload FROM run_events WHERE run_id = ? ORDER BY sequence")) {
            query.setString(1, runId);
            List<StoredEvent> events = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    events.add(new StoredEvent(result.getString(1), result.getLong(2), instant(result.getLong(3)),
                            result.getString(4), result.getString(5)));
                }
            }
            return events;
        } catch (SQLException e) {
            throw new CatalogException("cannot read the events of run " + runId, e);
        }
    }

    private List<PipelineRecord> queryPipelines(String where, List<Object> values, int limit) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT name, spec, etag, create_time_us, update_time_us FROM pipelines " + where + " LIMIT " + limit)) {
            bind(query, values.toArray());
            List<PipelineRecord> found = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    found.add(new PipelineRecord(result.getString(1), result.getString(2), result.getString(3),
                            instant(result.getLong(4)), instant(result.getLong(5))));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new CatalogException("cannot read pipelines", e);
        }
    }

    private List<Run> queryRuns(String where, List<Object> values, int limit) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT " + RUN_COLUMNS + ", resumed_by FROM runs " + where
                     + (limit == Integer.MAX_VALUE ? "" : " LIMIT " + limit))) {
            bind(query, values.toArray());
            List<Run> found = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    found.add(run(result));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new CatalogException("cannot read runs", e);
        }
    }

    private static Run run(ResultSet result) throws SQLException {
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
                summary == null ? Optional.empty() : Optional.of(read(summary, RunSummary.class)),
                refresh == null ? Optional.empty() : Optional.of(read(refresh, Refresh.class)),
                Objects.requireNonNullElse(result.getString(13), ""),
                Objects.requireNonNullElse(result.getString(14), ""));
    }

    private static Object[] runValues(Run run) {
        return new Object[] {
            run.id(),
            run.pipeline(),
            run.state().name(),
            run.trigger().name(),
            run.requestId(),
            micros(run.createTime()),
            run.startTime().map(JdbcCatalogStore::micros).orElse(null),
            run.endTime().map(JdbcCatalogStore::micros).orElse(null),
            run.error(),
            run.attempt(),
            run.summary().map(JdbcCatalogStore::write).orElse(null),
            run.refresh().map(JdbcCatalogStore::write).orElse(null),
            run.pendingReason()
        };
    }

    private int update(String sql, Object... values) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, values);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new CatalogException("catalog write failed: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement statement, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            switch (values[i]) {
                case null -> statement.setNull(i + 1, java.sql.Types.BIGINT);
                case String text -> statement.setString(i + 1, text);
                case Long number -> statement.setLong(i + 1, number);
                case Integer number -> statement.setInt(i + 1, number);
                default -> throw new IllegalArgumentException("cannot bind " + values[i].getClass());
            }
        }
    }

    /** A run's summary or refresh as JSON. */
    private static String write(Record value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a " + value.getClass().getSimpleName() + " always serializes", e);
        }
    }

    private static String writeTables(List<RunSummary.TableRows> tables) {
        try {
            return JSON.writeValueAsString(tables);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("table rows always serialize", e);
        }
    }

    private static List<RunSummary.TableRows> readTables(String json) {
        try {
            return List.of(JSON.readValue(json, RunSummary.TableRows[].class));
        } catch (JsonProcessingException e) {
            throw new CatalogException("stored table rows are unreadable", e);
        }
    }

    private static <T extends Record> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new CatalogException("stored run " + type.getSimpleName() + " is unreadable", e);
        }
    }

    private static long micros(Instant time) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, time);
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    private static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidPageTokenException("page_token '" + token + "' is not one this server issued");
        }
    }
}
