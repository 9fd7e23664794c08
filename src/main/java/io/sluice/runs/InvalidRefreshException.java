package io.sluice.runs;

import io.sluice.pipeline.Problem;
import java.util.List;
import java.util.stream.Collectors;

/** A refresh that does not fit the pipeline: it names resources the pipeline does not have, say. */
public final class InvalidRefreshException extends RuntimeException {
    private final List<Problem> problems;

    InvalidRefreshException(List<Problem> problems) {
        super("refresh: " + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    /** Each with the field of the trigger request it is about, e.g. {@code resources[1]}. */
    public List<Problem> problems() {
        return problems;
    }
}
