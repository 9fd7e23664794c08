package io.sluice.api;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import io.sluice.security.AuditConfig;
import io.sluice.security.AuthConfig;
import io.sluice.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records every call of an {@link AuditedMethods audited method} in the {@link AuditTrail} as it ends, refused ones
 * too: it runs before {@link AuthInterceptor} (a higher priority), and reads who called from the context that one
 * closes or serves the call in.
 */
@GlobalInterceptor
@ApplicationScoped
class AuditInterceptor implements ServerInterceptor, Prioritized {
    /** The actor of a call that proved no caller while authentication is on. */
    private static final String UNAUTHENTICATED = "unauthenticated";

    private final AuditTrail trail;
    private final AuditConfig audit;
    private final AuthConfig auth;

    AuditInterceptor(AuditTrail trail, AuditConfig audit, AuthConfig auth) {
        this.trail = trail;
        this.audit = audit;
        this.auth = auth;
    }

    /** Above {@link AuthInterceptor}'s default 0: Quarkus calls interceptors of a higher priority first. */
    @Override
    public int getPriority() {
        return 100;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        if (!audit.enabled()) {
            return next.startCall(call, headers);
        }
        return AuditedMethods.of(call.getMethodDescriptor().getFullMethodName())
                .map(audited -> recorded(call, headers, next, audited))
                .orElseGet(() -> next.startCall(call, headers));
    }

    private <Q, A> ServerCall.Listener<Q> recorded(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next,
                                                   AuditedMethods.Audited audited) {
        AtomicReference<Q> request = new AtomicReference<>();
        AtomicReference<A> answer = new AtomicReference<>();
        String peer = peer(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        ServerCall<Q, A> watched = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(A message) {
                answer.set(message);
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                // Recorded before the caller hears the outcome: whoever saw a call end finds it in the trail. Whatever
                // happens to the record, the call is closed.
                try {
                    audited.targetOf(request.get(), status.isOk() ? answer.get() : null).ifPresent(target ->
                            trail.record(actor(), peer, audited.action(), target, status.getCode()));
                } finally {
                    super.close(status, trailers);
                }
            }
        };
        ServerCall.Listener<Q> listener = next.startCall(watched, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                request.set(message);
                super.onMessage(message);
            }
        };
    }

    private String actor() {
        Caller caller = CallerContext.CALLER.get();
        if (caller != null) {
            return caller.name();
        }
        return auth.enabled() ? UNAUTHENTICATED : Caller.ANONYMOUS.name();
    }

    private static String peer(SocketAddress address) {
        return switch (address) {
            case null -> "";
            case InetSocketAddress internet when internet.getAddress() != null ->
                    internet.getAddress().getHostAddress() + ":" + internet.getPort();
            default -> address.toString();
        };
    }
}
