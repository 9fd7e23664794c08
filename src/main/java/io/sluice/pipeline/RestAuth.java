package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** How a REST API source authenticates; every credential is a {@link SecretReference}'s name, resolved when a run starts. */
public sealed interface RestAuth {
    record Bearer(String tokenSecret) implements RestAuth {
        public Bearer {
            new SecretReference(tokenSecret);
        }
    }

    record Basic(String username, String passwordSecret) implements RestAuth {
        public Basic {
            requireNonNull(username, "username is null");
            new SecretReference(passwordSecret);
        }
    }

    /** @param name the header or query parameter the key goes in */
    record ApiKey(String name, String keySecret, Location location) implements RestAuth {
        public ApiKey {
            requireNonNull(name, "name is null");
            new SecretReference(keySecret);
            requireNonNull(location, "location is null");
        }

        public enum Location {
            HEADER,
            QUERY
        }
    }

    /**
     * @param scope empty: none asked for
     * @param requestData more form fields of the token request
     * @param defaultExpiration how long a token lives when its response does not say
     */
    record OAuth2ClientCredentials(URI accessTokenUrl, String clientId, String clientSecretSecret, String scope,
                                   Map<String, String> requestData, Duration defaultExpiration) implements RestAuth {
        public OAuth2ClientCredentials {
            requireNonNull(accessTokenUrl, "accessTokenUrl is null");
            requireNonNull(clientId, "clientId is null");
            new SecretReference(clientSecretSecret);
            requireNonNull(scope, "scope is null");
            requestData = Map.copyOf(requestData);
            requireNonNull(defaultExpiration, "defaultExpiration is null");
        }
    }
}
