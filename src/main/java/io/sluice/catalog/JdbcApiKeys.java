package io.sluice.catalog;

import static io.sluice.catalog.CatalogSql.instant;
import static io.sluice.catalog.CatalogSql.micros;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** API key hashes in the catalog's SQL. */
final class JdbcApiKeys implements ApiKeyStore {
    private static final String COLUMNS = "SELECT id, description, role, hash, create_time_us, revoke_time_us, scope FROM api_keys";

    private final CatalogSql sql;

    JdbcApiKeys(CatalogSql sql) {
        this.sql = sql;
    }

    @Override
    public void insertApiKey(StoredApiKey key) {
        sql.update("INSERT INTO api_keys (id, description, role, hash, create_time_us, revoke_time_us, scope)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)", key.id(), key.description(), key.role(), key.hash(), micros(key.createTime()),
                key.revokeTime().map(CatalogSql::micros).orElse(null), key.scope());
    }

    @Override
    public Optional<StoredApiKey> apiKey(String id) {
        return sql.query(COLUMNS + " WHERE id = ?", List.of(id), JdbcApiKeys::key, "API key " + id).stream().findFirst();
    }

    @Override
    public List<StoredApiKey> apiKeys() {
        return sql.query(COLUMNS + " ORDER BY create_time_us, id", List.of(), JdbcApiKeys::key, "the API keys");
    }

    @Override
    public Optional<StoredApiKey> revokeApiKey(String id, Instant time) {
        // A key revoked earlier keeps the time it was first revoked.
        sql.update("UPDATE api_keys SET revoke_time_us = ? WHERE id = ? AND revoke_time_us IS NULL", micros(time), id);
        return apiKey(id);
    }

    private static StoredApiKey key(ResultSet row) throws SQLException {
        long revoked = row.getLong(6);
        Optional<Instant> revokeTime = row.wasNull() ? Optional.empty() : Optional.of(instant(revoked));
        // Keys made before keys had scopes have none: they cover every pipeline.
        String scope = Objects.requireNonNullElse(row.getString(7), "");
        return new StoredApiKey(row.getString(1), row.getString(2), row.getString(3), scope, row.getString(4),
                instant(row.getLong(5)), revokeTime);
    }
}
