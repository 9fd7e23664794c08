package io.sluice.catalog;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Which runs a listing returns; empty parts match every run. */
public record RunFilter(Optional<String> pipeline, Set<RunState> states, Optional<Instant> createdAfter,
                        Optional<Instant> createdBefore) {
    public RunFilter {
        states = Set.copyOf(states);
    }
}
