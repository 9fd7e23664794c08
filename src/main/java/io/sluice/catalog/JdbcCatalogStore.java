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
    public void insertRun(Run run) {
        update("INSERT INTO runs (" + RUN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", runValues(run));
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
    public Optional<Run> run(String id) {
        return queryRuns("WHERE id = ?", List.of(id), 1).stream().findFirst();
    }

    @Override
    public Optional<Run> runByRequestId(String pipeline, String requestId) {
        return queryRuns("WHERE pipeline = ? AND request_id = ?", List.of(pipeline, requestId), 1).stream().findFirst();
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
    public List<Run> unfinishedRuns() {
        List<Object> states = new ArrayList<>();
        for (RunState state : RunState.values()) {
            if (!state.isTerminal()) {
                states.add(state.name());
            }
        }
        String marks = states.stream().map(state -> "?").collect(Collectors.joining(", "));
        return queryRuns("WHERE state IN (" + marks + ") ORDER BY create_time_us", states, Integer.MAX_VALUE);
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
             PreparedStatement query = connection.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs " + where
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
                Objects.requireNonNullElse(result.getString(13), ""));
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
