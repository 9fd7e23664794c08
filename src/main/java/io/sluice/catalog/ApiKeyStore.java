package io.sluice.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where the hashes of the API keys that callers present are kept. */
public interface ApiKeyStore {
    void insertApiKey(StoredApiKey key);

    Optional<StoredApiKey> apiKey(String id);

    /** Every key, revoked ones too, oldest first. */
    List<StoredApiKey> apiKeys();

    /** Marks the key revoked at {@code time}; the key as it is now, or empty when there is no such key. */
    Optional<StoredApiKey> revokeApiKey(String id, Instant time);
}
