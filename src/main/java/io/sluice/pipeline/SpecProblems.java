package io.sluice.pipeline;

import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The problems a spec mapper finds, in the order it finds them. A part of the spec is built only when no problem
 * was found since its mapper started on it ({@link #mark()}, {@link #buildIfClean}), so that a record's compact
 * constructor never sees a value the user got wrong.
 */
final class SpecProblems {
    private final List<Problem> problems = new ArrayList<>();

    void invalid(String field, String description) {
        problems.add(Problem.invalid(field, description));
    }


    /**
     * An enum number the API does not define: a client built against a newer API sent it. Refused, never read as
     * the default.
     */
    <T> Optional<T> unrecognized(String field, int number, EnumDescriptor type) {
        invalid(field, "unknown value " + number + "; expected one of " + type.getValues().stream()
                .filter(value -> value.getNumber() != 0)
                .map(EnumValueDescriptor::getName)
                .collect(Collectors.joining(", ")));
        return Optional.empty();
    }

    /** Where the problems stand now, for {@link #buildIfClean}. */
    int mark() {
        return problems.size();
    }

    /** The part built by {@code build}, or empty when a problem was found since {@code mark}. */
    <T> Optional<T> buildIfClean(int mark, Supplier<T> build) {
        return problems.size() == mark ? Optional.of(build.get()) : Optional.empty();
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    List<Problem> list() {
        return List.copyOf(problems);
    }
}
