package io.sluice.api;

import io.grpc.Context;
import io.sluice.security.Caller;

/**
 * The caller of the call being served, as {@link AuthInterceptor} proved it, kept in the call's gRPC {@link Context}
 * for the services that limit a scoped caller and for the audit trail.
 */
final class CallerContext {
    static final Context.Key<Caller> CALLER = Context.key("sluice-caller");

    private CallerContext() {
    }

    /** The proven caller, or {@link Caller#ANONYMOUS} when none was proven (authentication is off). */
    static Caller current() {
        Caller caller = CALLER.get();
        return caller == null ? Caller.ANONYMOUS : caller;
    }
}
