package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * How many runs of a pipeline may be active at once, what a run triggered beyond that does, and which named limits
 * (shared with other pipelines, sized in the service's config) its runs hold a slot of while they run.
 */
public record ConcurrencySpec(int maxActiveRuns, OnOverlap onOverlap, List<String> limits) {
    /** Without a concurrency spec, runs of one pipeline take turns. */
    public static final ConcurrencySpec TAKE_TURNS = new ConcurrencySpec(1, OnOverlap.QUEUE, List.of());

    public ConcurrencySpec {
        if (maxActiveRuns < 1) {
            throw new IllegalArgumentException("maxActiveRuns must be at least 1: " + maxActiveRuns);
        }
        requireNonNull(onOverlap, "onOverlap is null");
        limits = List.copyOf(requireNonNull(limits, "limits is null"));
    }

    /** What a run triggered while {@code maxActiveRuns} runs of its pipeline are active does. */
    public enum OnOverlap {
        /** It waits PENDING, first come first served. */
        QUEUE,
        /** It ends SKIPPED at once. */
        SKIP,
        /** The active runs are cancelled, then it runs. */
        CANCEL_RUNNING
    }
}
