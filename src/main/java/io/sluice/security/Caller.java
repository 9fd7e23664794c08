package io.sluice.security;

import static java.util.Objects.requireNonNull;

/**
 * Who made a call, as their credential proved it: the credential's name (an API key's id or a token's subject) and
 * the role it grants.
 */
public record Caller(String name, Role role) {
    public Caller {
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
    }
}
