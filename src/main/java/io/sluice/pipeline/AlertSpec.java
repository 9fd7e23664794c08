package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/** One validated alert of a pipeline: the run states that send it, and where it goes. */
public record AlertSpec(Set<AlertState> on, AlertChannel channel) {
    public AlertSpec {
        on = Set.copyOf(requireNonNull(on, "on is null"));
        if (on.isEmpty()) {
            throw new IllegalArgumentException("an alert names no run state");
        }
        requireNonNull(channel, "channel is null");
    }

    /** Whether a run entering {@code state} sends this alert. */
    public boolean sentOn(AlertState state) {
        return on.contains(state);
    }
}
