package io.sluice.api;

import io.sluice.catalog.ApiKeyStore;
import io.sluice.catalog.StoredApiKey;
import io.sluice.pipeline.LabelSelector;
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
 * the configured key, in that order, with the role and the scope (a label selector) the credential carries.
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
                return checked(new Caller("key:" + configured.getKey(), role(configured.getValue().role(), configured.getKey()),
                        configured.getValue().scope().orElse("")));
            }
        }
        Optional<String> keyId = ApiKeySecrets.keyId(token);
        if (keyId.isPresent()) {
            return storedKey(keyId.get(), token);
        }
        return checked(jwt.orElseThrow(() -> new AuthenticationException("unknown API key")).verify(token));
    }

    /** The caller with its scope in the one spelling messages show; refused when the scope is no label selector. */
    private static Caller checked(Caller caller) {
        try {
            return new Caller(caller.name(), caller.role(), LabelSelector.parse(caller.scope()).toString());
        } catch (IllegalArgumentException invalid) {
            throw new AuthenticationException("the scope of " + caller.name() + " is not a label selector: "
                    + invalid.getMessage());
        }
    }

    private Caller storedKey(String id, String secret) {
        StoredApiKey key = keys.apiKey(id).filter(stored -> ApiKeySecrets.matches(secret, stored.hash()))
                .orElseThrow(() -> new AuthenticationException("unknown API key"));
        if (key.revoked()) {
            throw new AuthenticationException("API key " + id + " is revoked");
        }
        return checked(new Caller("key:" + id, role(key.role(), id), key.scope()));
    }

    private static Role role(String name, String keyId) {
        return Role.named(name).orElseThrow(() -> new AuthenticationException("API key " + keyId + " names no role: " + name));
    }
}
