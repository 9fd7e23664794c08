package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

/**
 * A run as stored with the id of the process that executes it ({@code owner}; "" for runs stored before runs had
 * owners), which crash recovery asks whether that process is still alive.
 */
public record OwnedRun(Run run, String owner) {
    public OwnedRun {
        requireNonNull(run, "run is null");
        requireNonNull(owner, "owner is null");
    }
}
