package io.sluice.cli;

import com.google.protobuf.Timestamp;
import io.grpc.Channel;
import io.sluice.proto.v1.ApiKey;
import io.sluice.proto.v1.AuthServiceGrpc;
import io.sluice.proto.v1.CreateApiKeyRequest;
import io.sluice.proto.v1.CreateApiKeyResponse;
import io.sluice.proto.v1.ListApiKeysRequest;
import io.sluice.proto.v1.ListApiKeysResponse;
import io.sluice.proto.v1.RevokeApiKeyRequest;
import io.sluice.proto.v1.Role;
import java.time.Instant;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "auth", mixinStandardHelpOptions = true, description = "Who may call the service.",
        subcommands = AuthCommand.Keys.class)
class AuthCommand {

    @Command(name = "keys", mixinStandardHelpOptions = true,
            description = "API keys: create one (its secret is shown once), list them, revoke one.",
            subcommands = {Keys.Create.class, Keys.ListKeys.class, Keys.Revoke.class})
    static class Keys {
        abstract static class Client extends ServiceCommand<AuthServiceGrpc.AuthServiceBlockingStub> {
            @Override
            AuthServiceGrpc.AuthServiceBlockingStub stub(Channel channel) {
                return AuthServiceGrpc.newBlockingStub(channel);
            }
        }

        @Command(name = "create", mixinStandardHelpOptions = true,
                description = "Create an API key and print its secret, which is not stored and cannot be shown again.")
        static class Create extends Client {
            @Option(names = "--role", required = true, description = "viewer, operator or admin.")
            String role;

            @Option(names = {"-d", "--description"}, defaultValue = "", description = "Who or what the key is for.")
            String description;

            @Option(names = "--scope", defaultValue = "", paramLabel = "SELECTOR",
                    description = "Limit the key to the pipelines whose labels match, e.g. team=billing (and their runs, "
                            + "schemas and previews); without it the key covers every pipeline.")
            String scope;

            @Mixin
            OutputOption output;

            @Override
            int call(AuthServiceGrpc.AuthServiceBlockingStub keys) {
                CreateApiKeyResponse created = keys.createApiKey(CreateApiKeyRequest.newBuilder().setDescription(description)
                        .setRole(role(role)).setScope(scope).build());
                if (output.printedAsJson(created)) {
                    return 0;
                }
                System.out.println("created API key " + created.getApiKey().getId() + " (" + role
                        + (created.getApiKey().getScope().isEmpty() ? "" : ", scope " + created.getApiKey().getScope())
                        + "); its secret, shown only now:");
                System.out.println(created.getSecret());
                return 0;
            }

            private static Role role(String name) {
                return switch (name.toLowerCase(Locale.ROOT)) {
                    case "viewer" -> Role.VIEWER;
                    case "operator" -> Role.OPERATOR;
                    case "admin" -> Role.ADMIN;
                    default -> throw new IllegalArgumentException("--role must be viewer, operator or admin, not " + name);
                };
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Show the API keys (never their secrets).")
        static class ListKeys extends Client {
            @Option(names = "--all", description = "Revoked keys too.")
            boolean all;

            @Mixin
            OutputOption output;

            @Override
            int call(AuthServiceGrpc.AuthServiceBlockingStub keys) {
                ListApiKeysResponse listed = keys.listApiKeys(ListApiKeysRequest.newBuilder().setShowRevoked(all).build());
                if (output.printedAsJson(listed)) {
                    return 0;
                }
                if (listed.getApiKeysList().isEmpty()) {
                    System.out.println("no API keys");
                }
                listed.getApiKeysList().forEach(key -> System.out.println(line(key)));
                return 0;
            }
        }

        @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an API key: calls presenting it are refused.")
        static class Revoke extends Client {
            @Parameters(paramLabel = "KEY_ID")
            String id;

            @Override
            int call(AuthServiceGrpc.AuthServiceBlockingStub keys) {
                System.out.println("revoked " + line(keys.revokeApiKey(RevokeApiKeyRequest.newBuilder().setId(id).build())));
                return 0;
            }
        }

        private static String line(ApiKey key) {
            return String.format(Locale.ROOT, "%-12s  %-8s  %-24s  created %s%s  %s", key.getId(),
                    key.getRole().name().toLowerCase(Locale.ROOT),
                    key.getScope().isEmpty() ? "all pipelines" : "scope " + key.getScope(), instant(key.getCreateTime()),
                    key.hasRevokeTime() ? ", revoked " + instant(key.getRevokeTime()) : "", key.getDescription());
        }

        private static Instant instant(Timestamp time) {
            return Instant.ofEpochSecond(time.getSeconds(), time.getNanos());
        }
    }
}
