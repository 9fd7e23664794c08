package io.sluice.api;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import grpc.health.v1.HealthGrpc;
import io.quarkus.grpc.GlobalInterceptor;
import io.sluice.catalog.CatalogException;
import io.sluice.security.AuthConfig;
import io.sluice.security.AuthenticationException;
import io.sluice.security.Caller;
import io.sluice.security.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Lets a call through only when its bearer token proves a caller whose role includes the one the method needs
 * ({@link MethodRoles}), and keeps the caller in the call's context ({@link CallerContext}); health checks always pass,
 * reflection when configured open. Off unless {@code sluice.auth.enabled}.
 */
@GlobalInterceptor
@ApplicationScoped
class AuthInterceptor implements ServerInterceptor {
    private static final Logger LOG = Logger.getLogger(AuthInterceptor.class);
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "bearer ";

    private final AuthConfig config;
    private final CallerAuthentication authentication;

    AuthInterceptor(AuthConfig config, CallerAuthentication authentication) {
        this.config = config;
        this.authentication = authentication;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (!config.enabled() || open(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        Caller caller;
        try {
            caller = authentication.authenticate(bearerToken(headers));
        } catch (AuthenticationException refused) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription(refused.getMessage()));
        } catch (CatalogException unavailable) {
            LOG.error("cannot check an API key", unavailable);
            return refuse(call, Status.UNAVAILABLE.withDescription("cannot check the credential now"));
        }
        Context proven = Context.current().withValue(CallerContext.CALLER, caller);
        Role required = MethodRoles.required(method);
        if (!caller.role().includes(required)) {
            return refuseOnceRead(proven, call, Status.PERMISSION_DENIED.withDescription(method + " needs the role "
                    + required.userName() + "; " + caller.name() + " has the role " + caller.role().userName()));
        }
        if (caller.scoped() && MethodRoles.spansAllPipelines(call.getMethodDescriptor().getServiceName())) {
            return refuseOnceRead(proven, call, Status.PERMISSION_DENIED.withDescription(method
                    + " needs a caller without a scope; " + caller.name() + " is limited to the pipelines matching " + caller.scope()));
        }
        return Contexts.interceptCall(proven, call, headers, next);
    }

    private boolean open(String service) {
        return HealthGrpc.SERVICE_NAME.equals(service)
                || config.openReflection() && service.startsWith(MethodRoles.REFLECTION_SERVICES);
    }

    private static Optional<String> bearerToken(Metadata headers) {
        String value = headers.get(AUTHORIZATION);
        if (value == null || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String token = value.substring(BEARER.length()).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    /**
     * Refuses a proven caller once its request has been read, in the context that names the caller, so that the
     * audit trail records who was refused what (which pipeline, run or key). A caller without a credential is refused
     * before its request is read: a stranger's message is not worth parsing.
     */
    private static <Q, A> ServerCall.Listener<Q> refuseOnceRead(Context context, ServerCall<Q, A> call, Status status) {
        call.request(1);
        return new ServerCall.Listener<>() {
            @Override
            public void onHalfClose() {
                context.run(() -> call.close(status, new Metadata()));
            }
        };
    }
}
