package io.sluice.pipeline;

import io.sluice.proto.v1.ApiKeyAuth;
import io.sluice.proto.v1.Auth;
import io.sluice.proto.v1.OAuth2ClientCredentialsAuth;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Maps a REST source's {@code auth}, where every credential must name a secret. */
final class RestAuthMapper {
    private static final Duration DEFAULT_TOKEN_EXPIRATION = Duration.ofHours(1);

    private final PipelineSpecMapper spec;
    private final SpecProblems problems;

    RestAuthMapper(PipelineSpecMapper spec, SpecProblems problems) {
        this.spec = spec;
        this.problems = problems;
    }

    Optional<RestAuth> map(Auth auth, String at) {
        int mark = problems.mark();
        return switch (auth.getKindCase()) {
            case BEARER -> {
                secret(auth.getBearer().getTokenSecret(), at + ".bearer.token_secret");
                yield problems.buildIfClean(mark, () -> new RestAuth.Bearer(auth.getBearer().getTokenSecret()));
            }
            case BASIC -> {
                if (auth.getBasic().getUsername().isEmpty()) {
                    problems.invalid(at + ".basic.username", "required");
                }
                secret(auth.getBasic().getPasswordSecret(), at + ".basic.password_secret");
                yield problems.buildIfClean(mark, () -> new RestAuth.Basic(auth.getBasic().getUsername(), auth.getBasic().getPasswordSecret()));
            }
            case API_KEY -> apiKey(auth.getApiKey(), at + ".api_key");
            case OAUTH2_CLIENT_CREDENTIALS -> oauth2(auth.getOauth2ClientCredentials(), at + ".oauth2_client_credentials");
            case KIND_NOT_SET -> {
                problems.invalid(at, "one of bearer, basic, api_key, oauth2_client_credentials");
                yield Optional.empty();
            }
        };
    }

    private Optional<RestAuth> apiKey(ApiKeyAuth key, String at) {
        int mark = problems.mark();
        secret(key.getKeySecret(), at + ".key_secret");
        Optional<RestAuth.ApiKey.Location> location = switch (key.getLocation()) {
            case LOCATION_UNSPECIFIED, HEADER -> Optional.of(RestAuth.ApiKey.Location.HEADER);
            case QUERY -> Optional.of(RestAuth.ApiKey.Location.QUERY);
            case UNRECOGNIZED -> problems.unrecognized(at + ".location", key.getLocationValue(), ApiKeyAuth.Location.getDescriptor());
        };
        if (key.getLocation() == ApiKeyAuth.Location.QUERY && key.getName().isEmpty()) {
            problems.invalid(at + ".name", "required for a key in the query, e.g. api_key");
        }
        // As in dlt: a key in a header goes in Authorization unless named.
        String name = key.getName().isEmpty() ? "Authorization" : key.getName();
        return problems.buildIfClean(mark, () -> new RestAuth.ApiKey(name, key.getKeySecret(), location.orElseThrow()));
    }

    private Optional<RestAuth> oauth2(OAuth2ClientCredentialsAuth oauth, String at) {
        int mark = problems.mark();
        Optional<URI> tokenUrl = RestApiMapper.httpUrl(oauth.getAccessTokenUrl());
        if (tokenUrl.isEmpty()) {
            problems.invalid(at + ".access_token_url", oauth.getAccessTokenUrl().isEmpty() ? "required"
                    : "must be an http or https URL with a host and without credentials");
        }
        if (oauth.getClientId().isEmpty()) {
            problems.invalid(at + ".client_id", "required");
        }
        secret(oauth.getClientSecret(), at + ".client_secret");
        Optional<Duration> expiration = oauth.getDefaultTokenExpiration().isEmpty() ? Optional.of(DEFAULT_TOKEN_EXPIRATION)
                : spec.duration(at + ".default_token_expiration", oauth.getDefaultTokenExpiration());
        return problems.buildIfClean(mark, () -> new RestAuth.OAuth2ClientCredentials(tokenUrl.orElseThrow(), oauth.getClientId(),
                oauth.getClientSecret(), oauth.getScope(), oauth.getAccessTokenRequestDataMap(), expiration.orElseThrow()));
    }

    private void secret(String name, String field) {
        if (name.isEmpty()) {
            problems.invalid(field, "required: the name of a secret");
        } else if (!PipelineSpecMapper.SECRET_NAME.matcher(name).matches()) {
            // Not echoed: what is there may be the credential itself.
            problems.invalid(field, "must name a secret (letters, digits, '.', '_' and '-'), not hold the credential");
        }
    }
}
