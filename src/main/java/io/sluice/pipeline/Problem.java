package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

/** One thing wrong with a pipeline spec, and where: {@code field} is a path such as {@code source.filesystem.resources[0].glob}. */
public record Problem(String field, String description, Kind kind) {
    public Problem {
        requireNonNull(field, "field is null");
        requireNonNull(description, "description is null");
        requireNonNull(kind, "kind is null");
    }

    public enum Kind {
        /** The spec is wrong. */
        INVALID,
        /** The spec is right, but this version of Sluice cannot run that feature yet. */
        UNSUPPORTED
    }

    static Problem invalid(String field, String description) {
        return new Problem(field, description, Kind.INVALID);
    }

    static Problem unsupported(String field, String description) {
        return new Problem(field, description, Kind.UNSUPPORTED);
    }

    @Override
    public String toString() {
        return (field.isEmpty() ? "" : field + ": ") + description;
    }
}
