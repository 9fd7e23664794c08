package io.sluice.security;

import static java.util.Objects.requireNonNull;

/**
 * Who made a call, as their credential proved it: the credential's name (an API key's id or a token's subject), the
 * role it grants, and the label selector that limits it to some pipelines ({@code team=billing}; empty: all of them).
 */
public record Caller(String name, Role role, String scope) {
    /** Whoever calls while authentication is off: may do everything, to every pipeline. */
    public static final Caller ANONYMOUS = new Caller("anonymous", Role.ADMIN, "");

    public Caller {
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
        requireNonNull(scope, "scope is null");
    }

    public boolean scoped() {
        return !scope.isBlank();
    }
}
