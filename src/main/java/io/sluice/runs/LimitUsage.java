package io.sluice.runs;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * How one concurrency limit is used at a moment: the runs holding its slots and those waiting for one, in line order.
 * For a pipeline's {@code max_active_runs}, {@code holding} are the runs whose turn it is (running, or waiting for a
 * named or the global limit) and {@code size} is what its latest triggered run's spec says.
 */
public record LimitUsage(Kind kind, String name, int size, List<String> holding, List<String> waiting) {
    public LimitUsage {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        holding = List.copyOf(requireNonNull(holding, "holding is null"));
        waiting = List.copyOf(requireNonNull(waiting, "waiting is null"));
    }

    public enum Kind {
        /** Runs active at once in this process ({@code sluice.runs.max-active}). */
        GLOBAL,
        /** A pipeline's {@code concurrency.max_active_runs}: its runs in line, whose turn it is first. */
        PIPELINE,
        /** A limit named in {@code sluice.limits} and shared by the pipelines naming it. */
        NAMED
    }

    /** Runs holding or waiting for this limit. */
    public int runs() {
        return holding.size() + waiting.size();
    }
}
