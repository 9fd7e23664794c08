package io.sluice.security;

import java.util.Locale;
import java.util.Optional;

/** What a caller may do; each role includes the ones before it. */
public enum Role {
    /** Reads pipelines, runs, schemas and previews, and watches runs. */
    VIEWER,
    /** Also triggers, cancels and retries runs, and retries or discards pending load packages. */
    OPERATOR,
    /** Also creates, updates, deletes and applies pipelines, and manages API keys. */
    ADMIN;

    /** Whether a caller holding this role may do what {@code required} allows. */
    public boolean includes(Role required) {
        return compareTo(required) >= 0;
    }

    /** The name users write: in tokens' claims, key lists and messages. */
    public String userName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role a claim or a stored key names ({@code viewer}, {@code operator}, {@code admin}), if it names one. */
    public static Optional<Role> named(String name) {
        for (Role role : values()) {
            if (role.userName().equals(name.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
