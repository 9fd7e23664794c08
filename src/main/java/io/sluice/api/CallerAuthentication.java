package io.sluice.api;

import io.sluice.catalog.ApiKeyStore;
import io.sluice.catalog.StoredApiKey;
import io.sluice.security.ApiKeySecrets;
import io.sluice.security.AuthConfig;
import io.sluice.security.AuthenticationException;
import io.sluice.security.Caller;
import io.sluice.security.JwtVerifier;
import io.sluice.security.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/**
 * Finds who a bearer token belongs to: an API key given as config, an API key in the catalog, or a JWT signed with
 * the configured key, in that order.
 */
@ApplicationScoped
class CallerAuthentication {
    private final AuthConfig config;
    private final ApiKeyStore keys;
    private final Optional<JwtVerifier> jwt;

    CallerAuthentication(AuthConfig config, ApiKeyStore keys) {
        this.config = config;
        this.keys = keys;
        this.jwt = config.jwt().publicKey().map(key -> new JwtVerifier(key, config.jwt().issuer()));
    }

    Caller authenticate(Optional<String> bearerToken) {
        String token = bearerToken.orElseThrow(() -> new AuthenticationException(
                "this call needs a credential: an API key or a JWT as a bearer token (sluice: SLUICE_TOKEN or --token-file)"));
        for (Map.Entry<String, AuthConfig.ConfiguredKey> configured : config.apiKeys().entrySet()) {
            if (ApiKeySecrets.matches(token, configured.getValue().hash())) {
                return new Caller("key:" + configured.getKey(), role(configured.getValue().role(), configured.getKey()));
            }
        }
        Optional<String> keyId = ApiKeySecrets.keyId(token);
        if (keyId.isPresent()) {
            return storedKey(keyId.get(), token);
        }
        return jwt.orElseThrow(() -> new AuthenticationException("unknown API key")).verify(token);
    }

    private Caller storedKey(String id, String secret) {
        StoredApiKey key = keys.apiKey(id).filter(stored -> ApiKeySecrets.matches(secret, stored.hash()))
                .orElseThrow(() -> new AuthenticationException("unknown API key"));
        if (key.revoked()) {
            throw new AuthenticationException("API key " + id + " is revoked");
        }
        return new Caller("key:" + id, role(key.role(), id));
    }

    private static Role role(String name, String keyId) {
        return Role.named(name).orElseThrow(() -> new AuthenticationException("API key " + keyId + " names no role: " + name));
    }
}
