package io.sluice.catalog;

import static io.sluice.catalog.CatalogSql.instant;
import static io.sluice.catalog.CatalogSql.micros;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Registered pipelines in the catalog's SQL: the spec as canonical JSON, its etag and times. */
final class JdbcPipelines implements PipelineStore {
    private final CatalogSql sql;

    JdbcPipelines(CatalogSql sql) {
        this.sql = sql;
    }

    @Override
    public void insertPipeline(PipelineRecord pipeline) {
        try (Connection connection = sql.connection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO pipelines (name, spec, etag, create_time_us, update_time_us) SELECT ?, ?, ?, ?, ?"
                             + " WHERE NOT EXISTS (SELECT 1 FROM pipelines WHERE name = ?)")) {
            CatalogSql.bind(insert, new Object[] {pipeline.name(), pipeline.specJson(), pipeline.etag(), micros(pipeline.createTime()),
                micros(pipeline.updateTime()), pipeline.name()});
            if (insert.executeUpdate() == 0) {
                throw alreadyExists(pipeline.name());
            }
        } catch (SQLException e) {
            if (pipeline(pipeline.name()).isPresent()) {
                throw alreadyExists(pipeline.name());
            }
            throw new CatalogException("cannot store pipeline " + pipeline.name(), e);
        }
    }

    @Override
    public Optional<PipelineRecord> pipeline(String name) {
        return query("WHERE name = ?", name, 1).stream().findFirst();
    }

    @Override
    public List<PipelineRecord> pipelines(Collection<String> names) {
        if (names.isEmpty()) {
            return List.of();
        }
        return query("WHERE name IN (" + CatalogSql.placeholders(names.size()) + ")", List.copyOf(names), names.size());
    }

    @Override
    public Page<PipelineRecord> pipelines(int pageSize, String pageToken) {
        String after = pageToken.isEmpty() ? "" : PageTokens.decode(pageToken);
        List<PipelineRecord> found = query("WHERE name > ? ORDER BY name", after, pageSize + 1);
        if (found.size() <= pageSize) {
            return new Page<>(found, "");
        }
        List<PipelineRecord> page = found.subList(0, pageSize);
        return new Page<>(page, PageTokens.encode(page.getLast().name()));
    }

    @Override
    public boolean replacePipeline(PipelineRecord pipeline, String expectedEtag) {
        return sql.update("UPDATE pipelines SET spec = ?, etag = ?, update_time_us = ? WHERE name = ? AND etag = ?",
                pipeline.specJson(), pipeline.etag(), micros(pipeline.updateTime()), pipeline.name(), expectedEtag) > 0;
    }

    @Override
    public boolean deletePipeline(String name) {
        return sql.update("DELETE FROM pipelines WHERE name = ?", name) > 0;
    }

    private List<PipelineRecord> query(String where, String value, int limit) {
        return query(where, List.of(value), limit);
    }

    private List<PipelineRecord> query(String where, List<String> values, int limit) {
        return sql.query("SELECT name, spec, etag, create_time_us, update_time_us FROM pipelines " + where + " LIMIT " + limit,
                values, row -> new PipelineRecord(row.getString(1), row.getString(2), row.getString(3),
                        instant(row.getLong(4)), instant(row.getLong(5))), "pipelines");
    }

    private static AlreadyExistsException alreadyExists(String name) {
        return new AlreadyExistsException("pipeline '" + name + "' already exists");
    }
}
