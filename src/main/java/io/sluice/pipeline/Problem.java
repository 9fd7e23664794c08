package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

/** One thing wrong with a pipeline spec, and where: {@code field} is a path such as {@code source.filesystem.resources[0].glob}. */
public record Problem(String field, String description, Kind kind) {
    public Problem {
        requireNonNull(field, "field is null");
        requireNonNull(description, "description is null");
        requireNonNull(kind, "kind is null");
    }

    /**
     * What kind of problem it is. The API also knows UNSUPPORTED (a feature this version cannot run yet), which this
     * version no longer reports: every field the API defines runs.
     */
    public enum Kind {
        /** The spec is wrong. */
        INVALID
    }

    static Problem invalid(String field, String description) {
        return new Problem(field, description, Kind.INVALID);
    }

    @Override
    public String toString() {
        return (field.isEmpty() ? "" : field + ": ") + description;
    }
}
