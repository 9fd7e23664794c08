package io.sluice.cli;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/** Where a client command finds the service, and how it proves who it is: a bearer token, TLS and a client certificate. */
class ServerOption {
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @Option(names = {"-s", "--server"}, defaultValue = "${SLUICE_SERVER:-localhost:9000}",
            description = "The service's gRPC address, host:port (default: ${DEFAULT-VALUE}; env SLUICE_SERVER).")
    String server;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the API key or JWT to present (default: env SLUICE_TOKEN).")
    Path tokenFile;

    @Option(names = "--tls-ca", paramLabel = "PEM", defaultValue = "${SLUICE_TLS_CA}",
            description = "Speak TLS, trusting the server certificates this CA file signed (env SLUICE_TLS_CA).")
    Path tlsCa;

    @Option(names = "--tls-cert", paramLabel = "PEM", defaultValue = "${SLUICE_TLS_CERT}",
            description = "This client's certificate, for a server that asks for one (mTLS; env SLUICE_TLS_CERT).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", defaultValue = "${SLUICE_TLS_KEY}",
            description = "The private key of --tls-cert, PKCS#8 PEM (env SLUICE_TLS_KEY).")
    Path tlsKey;

    ManagedChannel channel() {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(server);
        if (tlsCa != null || tlsCert != null) {
            builder.sslContext(ssl());
        } else {
            builder.usePlaintext();
        }
        token().ifPresent(token -> {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + token);
            builder.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
        });
        return builder.build();
    }

    private io.netty.handler.ssl.SslContext ssl() {
        try {
            SslContextBuilder ssl = GrpcSslContexts.forClient();
            if (tlsCa != null) {
                ssl.trustManager(tlsCa.toFile());
            }
            if (tlsCert != null) {
                if (tlsKey == null) {
                    throw new IllegalArgumentException("--tls-cert needs --tls-key");
                }
                ssl.keyManager(tlsCert.toFile(), tlsKey.toFile());
            }
            return ssl.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS files", e);
        }
    }

    private Optional<String> token() {
        if (tokenFile != null) {
            try {
                return Optional.of(Files.readString(tokenFile).strip());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the token file " + tokenFile, e);
            }
        }
        return Optional.ofNullable(System.getenv("SLUICE_TOKEN")).map(String::strip).filter(token -> !token.isEmpty());
    }

    static void close(ManagedChannel channel) {
        channel.shutdown();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
