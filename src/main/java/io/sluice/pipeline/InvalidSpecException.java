package io.sluice.pipeline;

import java.util.List;
import java.util.stream.Collectors;

/** A pipeline spec that cannot be accepted, with every problem found in it. */
public final class InvalidSpecException extends RuntimeException {
    private final String origin;
    private final List<Problem> problems;

    public InvalidSpecException(String origin, List<Problem> problems) {
        super(describe(origin, problems));
        this.origin = origin;
        this.problems = List.copyOf(problems);
    }

    /** Where the spec came from (a file name), or empty. */
    public String origin() {
        return origin;
    }

    public List<Problem> problems() {
        return problems;
    }


    private static String describe(String origin, List<Problem> problems) {
        String prefix = origin.isEmpty() ? "" : origin + ": ";
        return prefix + problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    }
}
