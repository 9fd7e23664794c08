package io.sluice.security;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SecretKeysHandler;
import io.smallrye.config.SecretKeysHandlerFactory;
import java.util.Map;

/**
 * Lets a config value name a secret, as a spec does: {@code quarkus.mailer.password=${sluice-secret::smtp-password}}
 * reads the secret {@code smtp-password} the way {@link Secrets} does (config {@code sluice.secret.smtp-password}, then
 * {@code SLUICE_SECRET_SMTP_PASSWORD}, then {@code /run/secrets/smtp-password}), so a password held by the service's
 * own config (the mail server's) is kept like every other secret. Registered as a service for SmallRye Config.
 */
public final class SecretConfigHandler implements SecretKeysHandlerFactory {
    static final String NAME = "sluice-secret";
    private static final String CONFIGURED = "sluice.secret.";

    @Override
    public SecretKeysHandler getSecretKeysHandler(ConfigSourceContext context) {
        return new SecretKeysHandler() {
            @Override
            public String decode(String secret) {
                // Read when the value is: the config's own profile rules apply to sluice.secret.<name> too.
                ConfigValue configured = context.getValue(CONFIGURED + secret);
                return Secrets.of(configured == null || configured.getValue() == null ? Map.of()
                        : Map.of(secret, configured.getValue())).resolve(secret);
            }

            @Override
            public String getName() {
                return NAME;
            }
        };
    }

    @Override
    public String getName() {
        return NAME;
    }
}
