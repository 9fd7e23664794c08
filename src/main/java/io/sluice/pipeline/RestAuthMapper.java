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
                SecretReference.check(at + ".bearer.token_secret", auth.getBearer().getTokenSecret(), true, problems);
                yield problems.buildIfClean(mark, () -> new RestAuth.Bearer(auth.getBearer().getTokenSecret()));
            }
            case BASIC -> {
                if (auth.getBasic().getUsername().isEmpty()) {
                    problems.invalid(at + ".basic.username", "required");
                }
                SecretReference.check(at + ".basic.password_secret", auth.getBasic().getPasswordSecret(), true, problems);
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
        SecretReference.check(at + ".key_secret", key.getKeySecret(), true, problems);
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
        } else {
            RestApiMapper.credentialsInUrl(oauth.getAccessTokenUrl(), at + ".access_token_url", problems);
        }
        LiteralCredentials.inFields(oauth.getAccessTokenRequestDataMap(), at + ".access_token_request_data",
                "the client's secret is named in client_secret", problems);
        if (oauth.getClientId().isEmpty()) {
            problems.invalid(at + ".client_id", "required");
        }
        SecretReference.check(at + ".client_secret", oauth.getClientSecret(), true, problems);
        Optional<Duration> expiration = oauth.getDefaultTokenExpiration().isEmpty() ? Optional.of(DEFAULT_TOKEN_EXPIRATION)
                : spec.duration(at + ".default_token_expiration", oauth.getDefaultTokenExpiration());
        return problems.buildIfClean(mark, () -> new RestAuth.OAuth2ClientCredentials(tokenUrl.orElseThrow(), oauth.getClientId(),
                oauth.getClientSecret(), oauth.getScope(), oauth.getAccessTokenRequestDataMap(), expiration.orElseThrow()));
    }

}
