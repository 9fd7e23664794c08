package io.sluice.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Who may call the gRPC API (prefix {@code sluice.auth}). */
@ConfigMapping(prefix = "sluice.auth")
public interface AuthConfig {
    /**
     * Whether every call (except health checks) must present a credential. Off by default and in tests, on in the
     * production profile that {@code sluice serve} and the container images run in; {@code make run} turns it off.
     */
    @WithDefault("false")
    boolean enabled();

    /** Whether server reflection (what grpcurl lists) answers callers without a credential. */
    @WithDefault("false")
    boolean openReflection();

    /**
     * API keys given as config, by id ({@code sluice.auth.api-keys.ci.hash=…}, {@code …ci.role=admin}), beside the
     * ones {@code sluice auth keys create} stores in the catalog.
     */
    Map<String, ConfiguredKey> apiKeys();

    Jwt jwt();

    /** An API key given as config: only the hash of its secret. */
    interface ConfiguredKey {
        /** SHA-256 of the key's secret, in hex ({@code printf %s "$KEY" | sha256sum}). */
        String hash();

        /** viewer, operator or admin. */
        String role();

        /** A label selector ({@code team=billing}) that limits the key to the pipelines it matches; none: all pipelines. */
        Optional<String> scope();
    }

    /** JWT bearer tokens from an identity provider. */
    interface Jwt {
        /** A PEM public key or a JWKS file the tokens' signatures are checked with; none: JWTs are not accepted. */
        Optional<Path> publicKey();

        /** The issuer ({@code iss}) tokens must name; none: any issuer. */
        Optional<String> issuer();
    }
}
