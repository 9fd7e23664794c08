package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * An API key as the catalog keeps it: never its secret, only the secret's hash; the role by its name (viewer,
 * operator, admin), the label selector that limits it to some pipelines (empty: all), and when it was revoked, if it was.
 */
public record StoredApiKey(String id, String description, String role, String scope, String hash, Instant createTime,
                           Optional<Instant> revokeTime) {
    public StoredApiKey {
        requireNonNull(id, "id is null");
        requireNonNull(description, "description is null");
        requireNonNull(role, "role is null");
        requireNonNull(scope, "scope is null");
        requireNonNull(hash, "hash is null");
        requireNonNull(createTime, "createTime is null");
        requireNonNull(revokeTime, "revokeTime is null");
    }

    public boolean revoked() {
        return revokeTime.isPresent();
    }
}
